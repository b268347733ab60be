import { spawn } from 'node:child_process'
import { chmodSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { FixtureServer, ok } from '../helpers/fixture-server.js'
import { BIN, baseEnv, runKick, runnableAsUser } from '../helpers/run-kick.js'

const { name, version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { name: string; version: string }

describe('the kick binary', () => {
  let kick: FixtureServer
  beforeAll(async () => (kick = await FixtureServer.start()))
  afterAll(() => kick.close())
  beforeEach(() => kick.reset())

  it('answers --version with the package name and version', async () => {
    expect(name).toBe('kick-cli')
    const result = await runKick(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      `kick-cli/${version} ${process.platform}-${process.arch} node-${process.version}\n`,
    )
  })

  it('exits 2 with one line on stderr for an unknown flag, and leaves stdout empty', async () => {
    const result = await runKick(['users', 'get', '--bogus'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([
      'Error: Nonexistent flag: --bogus: see `kick users get --help`',
    ])
  })

  it('answers an unknown command with one line naming the closest command, exit 2', async () => {
    const typo = await runKick(['users', 'gte'])
    expect(typo.code).toBe(2)
    expect(typo.stdout).toBe('')
    expect(typo.stderr).toBe('Error: unknown command "users gte": did you mean `kick users get`?\n')
    const unknown = await runKick(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('Error: unknown command "frobnicate": see `kick --help`\n')
  })

  it('exits 4 naming kick login and the scope when no token is available', async () => {
    const result = await runKick(['users', 'get'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('kick login --scopes user:read')
  })

  it('prints the API data as JSON when stdout is not a terminal', async () => {
    kick.stub('GET', '/public/v1/users', ok([{ user_id: 1, name: 'a', email: '', profile_picture: '' }]))
    const result = await runKick(['users', 'get', '--id', '1'], {
      env: { KICK_ACCESS_TOKEN: 'tok', KICK_API_URL: kick.url },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ user_id: 1, name: 'a', email: '', profile_picture: '' }])
    expect(kick.requests[0]!.headers.authorization).toBe('Bearer tok')
    expect(kick.requests[0]!.query.getAll('id')).toEqual(['1'])
    kick.verify()
  })

  // `docker run --user 1234 …` in CI: a user id with no entry in the user database, and no SHELL. oclif looked
  // the shell up there on every start, which throws for such a user: every command but --version failed.
  it.runIf(runnableAsUser(54321))(
    'runs as a user id the machine has no account for, with no SHELL set',
    async () => {
      kick.stub('GET', '/public/v1/users', ok([{ user_id: 1, name: 'a', email: '', profile_picture: '' }]))
      const env = baseEnv({ KICK_ACCESS_TOKEN: 'tok', KICK_API_URL: kick.url, SHELL: undefined })
      chmodSync(env.HOME!, 0o777)
      const child = spawn(
        'setpriv',
        [
          '--reuid=54321',
          '--regid=54321',
          '--clear-groups',
          process.execPath,
          BIN,
          'users',
          'get',
          '--id',
          '1',
        ],
        { env },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(JSON.parse(stdout)).toEqual([{ user_id: 1, name: 'a', email: '', profile_picture: '' }])
      kick.verify()
    },
  )

  it('exits 130 when interrupted (Ctrl-C) while waiting on Kick, with stdout empty', async () => {
    let reached!: () => void
    const requestArrived = new Promise<void>((resolve) => (reached = resolve))
    // a Kick that takes the request and never answers
    const silent = createServer(() => reached())
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const child = spawn(process.execPath, [BIN, 'users', 'get'], {
        env: baseEnv({ KICK_ACCESS_TOKEN: 'tok', KICK_API_URL: url }),
      })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
      await requestArrived
      child.kill('SIGINT')
      expect(await exited).toBe(130)
      expect(stdout).toBe('')
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
  })
})
