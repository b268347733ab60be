import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { lines } from '../helpers/fixture-kick.js'
import { BIN, baseEnv, ROOT, runKick } from '../helpers/run-kick.js'
import { AuthWorld, authWorldHooks, NO_BUS, readPair, rewritePair } from './harness.js'

describe('waits a person sits through are said, in a terminal', () => {
  let world: AuthWorld
  authWorldHooks((_mock, w) => (world = w))

  it('the refresh lock held by another process: a line while waiting for it', async () => {
    const login = await world.login('user:read', NO_BUS)
    expect(login.code, login.stderr).toBe(0)
    rewritePair(world, false, (pair) => (pair.expires_at = Date.now() + 10_000))
    const locks = join(world.configDir(), 'locks')
    const lock = join(locks, `${world.profile}.tokens.lock`)
    mkdirSync(locks, { recursive: true })
    // held by a live process (this one), released once kick says it is waiting for it
    writeFileSync(lock, `${process.pid}\n`)
    const waiting = `waiting for another kick process to finish refreshing the token (${lock})…`
    const command = [process.execPath, BIN, 'auth', 'token'].map((word) => `'${word}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...baseEnv(world.env(NO_BUS)), TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stdin.end()
    let transcript = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      transcript += chunk
      if (transcript.includes(waiting)) rmSync(lock, { force: true })
    })
    // a kick that never says it waits still gets the lock in the end, and the test fails below
    const release = setTimeout(() => rmSync(lock, { force: true }), 12_000)
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code, transcript).toBe(0)
      expect(lines(transcript.replace(/\r\n/g, '\n'))).toContain(waiting)
      expect(transcript).toContain(readPair(world, false)!.access_token)
    } finally {
      clearTimeout(release)
      rmSync(lock, { force: true })
    }
  })

  it('the login callback: a line saying what kick waits for, in a terminal only', async () => {
    const env = world.env({ ...NO_BUS, BROWSER_MODE: 'none' })
    const args = ['login', '--scopes', 'user:read', '--timeout', '2s']
    const terminal = await runKick(args, { env, terminal: true })
    expect(terminal.code).toBe(4)
    const transcript = lines(terminal.stdout)
    expect(transcript).toContain(
      `waiting for the browser to come back to http://localhost:${world.port}/callback (up to 2 s; Ctrl-C to stop)…`,
    )
    expect(transcript.at(-1)).toMatch(/^Error: no login callback within 2 s/)

    const piped = await runKick(args, { env })
    expect(piped.code).toBe(4)
    expect(piped.stderr).not.toContain('waiting for the browser')
  })
})
