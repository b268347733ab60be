import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { NO_BUS } from '../auth/harness.js'
import { BIN, isolatedHome, runKick, runnableAsUser } from '../helpers/run-kick.js'
import { delivery, freshKey, send, startKick, stopKick } from '../webhooks/helpers.js'

// Issue 21, "other processes of the same user" and "files others can write": the attacks replayed against
// the real binary, with real concurrent processes, real symbolic links and FIFOs.

const configOf = (home: ReturnType<typeof isolatedHome>): string => join(home.XDG_CONFIG_HOME, 'kick')
const readConfig = (home: ReturnType<typeof isolatedHome>) =>
  JSON.parse(readFileSync(join(configOf(home), 'config.json'), 'utf8')) as {
    profiles: Record<string, Record<string, string>>
  }

/**
 * A launcher that plants files before kick runs, named with the pid kick will have (the shell's: it execs
 * kick), as an attacker who guesses pids would: `$$` in `plant` is that pid.
 */
function planting(plant: string, as: 'bin' | 'launcher' = 'bin'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kick-plant-'))
  const script = join(dir, 'kick.sh')
  const run = as === 'bin' ? `"${process.execPath}" "${BIN}" "$@"` : '"$@"'
  writeFileSync(script, `#!/bin/sh\nset -e\n${plant}\nexec ${run}\n`, { mode: 0o755 })
  return script
}

describe('concurrent writers of config.json (real processes)', () => {
  it('20 `kick config set` at once, one profile each: every profile survives', async () => {
    const home = isolatedHome()
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runKick(['config', 'set', 'client-id', `client-${i + 1}`, '--profile', `p${i + 1}`], {
          env: home,
          timeoutMs: 60_000,
        }),
      ),
    )
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' })
    const { profiles } = readConfig(home)
    expect(Object.keys(profiles).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `p${i + 1}`).sort())
    for (let i = 1; i <= 20; i++) expect(profiles[`p${i}`]).toEqual({ 'client-id': `client-${i}` })
    // no temp file or lock left behind
    expect(readdirSync(configOf(home)).sort()).toEqual(['config.json', 'locks'])
    expect(readdirSync(join(configOf(home), 'locks'))).toEqual([])
  }, 90_000)

  it('5 different keys on one profile at once: all five survive', async () => {
    const home = isolatedHome()
    const values: [string, string][] = [
      ['client-id', '01JCLIENT'],
      ['redirect-uri', 'http://localhost:53999/callback'],
      ['broadcaster-id', '721956'],
      ['api-url', 'http://127.0.0.1:3001'],
      ['auth-url', 'http://127.0.0.1:3002'],
    ]
    const runs = await Promise.all(
      values.map(([key, value]) =>
        runKick(['config', 'set', key, value, '--profile', 'bot'], {
          env: { ...home, KICK_API_URL: undefined, KICK_AUTH_URL: undefined },
          timeoutMs: 60_000,
        }),
      ),
    )
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(readConfig(home).profiles.bot).toEqual(Object.fromEntries(values))
  }, 90_000)

  it('a lock left by a process that died does not block: it is taken over at once', async () => {
    const home = isolatedHome()
    mkdirSync(join(configOf(home), 'locks'), { recursive: true, mode: 0o700 })
    chmodSync(configOf(home), 0o700)
    // a pid that is certainly gone: a child that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout
    writeFileSync(join(configOf(home), 'locks', 'config.lock'), `${dead.toString()}\n`)
    const run = await runKick(['config', 'set', 'client-id', 'after-crash'], { env: home })
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(readConfig(home).profiles.default).toEqual({ 'client-id': 'after-crash' })
    expect(existsSync(join(configOf(home), 'locks', 'config.lock'))).toBe(false)
  })
})

describe('planted links and files at the names kick writes', () => {
  it('config.json: a link at the old temp name or a neighbour is never written through', async () => {
    const home = isolatedHome()
    const dir = configOf(home)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const victim = join(mkdtempSync(join(tmpdir(), 'kick-victim-')), 'precious.txt')
    writeFileSync(victim, 'precious\n')
    // the old name (config.json.<pid>.tmp) with the pid kick will have, and the names beside config.json
    const neighbours = [
      'config.json.tmp',
      '.config.json.tmp',
      'config.json.lock',
      'config.json~',
      '.config.json',
    ]
    const script = planting(
      [
        `ln -s '${victim}' '${dir}'/config.json.$$.tmp`,
        ...neighbours.map((n) => `ln -s '${victim}' '${dir}/${n}'`),
      ].join('\n'),
    )
    const run = await runKick(['config', 'set', 'client-id', 'mine'], { env: home, bin: script })
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    const config = lstatSync(join(dir, 'config.json'))
    expect(config.isSymbolicLink()).toBe(false)
    expect(config.mode & 0o777).toBe(0o600)
    expect(readConfig(home).profiles.default).toEqual({ 'client-id': 'mine' })
    // the planted links are left as they were, and nothing else was added
    for (const name of neighbours) expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true)
    const others = readdirSync(dir).filter((name) => !['config.json', 'locks', ...neighbours].includes(name))
    expect(others).toEqual([expect.stringMatching(/^config\.json\.\d+\.tmp$/)])
  })

  it('config.json that is itself a link is replaced, never written through', async () => {
    const home = isolatedHome()
    const dir = configOf(home)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const victim = join(mkdtempSync(join(tmpdir(), 'kick-victim-')), 'victim.json')
    const before = '{"profiles":{}}\n'
    writeFileSync(victim, before)
    symlinkSync(victim, join(dir, 'config.json'))
    expect((await runKick(['config', 'set', 'client-id', 'mine'], { env: home })).code).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe(before)
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(false)
  })

  it('the token fallback file: links planted beside it are not followed', async () => {
    const home = isolatedHome()
    const credentials = join(configOf(home), 'credentials')
    mkdirSync(credentials, { recursive: true, mode: 0o700 })
    chmodSync(configOf(home), 0o700)
    const victim = join(mkdtempSync(join(tmpdir(), 'kick-victim-')), 'precious.txt')
    writeFileSync(victim, 'precious\n')
    const file = 'default.client-secret'
    const script = planting(
      [`${file}.$$.tmp`, `.${file}.tmp`, `${file}.tmp`]
        .map((name) => `ln -s '${victim}' '${credentials}/${name}'`)
        .join('\n'),
    )
    const run = await runKick(['config', 'set', 'client-secret', '-'], {
      env: { ...home, ...NO_BUS },
      bin: script,
      input: 'a-client-secret-value\n',
    })
    expect(run.code).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    const stored = lstatSync(join(credentials, file))
    expect(stored.isSymbolicLink()).toBe(false)
    expect(stored.mode & 0o777).toBe(0o600)
    expect(readFileSync(join(credentials, file), 'utf8')).toBe('a-client-secret-value')
  })

  it('the development key: links planted beside it are not followed, and the key is whole', async () => {
    const home = isolatedHome()
    const dir = configOf(home)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const victim = join(mkdtempSync(join(tmpdir(), 'kick-victim-')), 'precious.txt')
    writeFileSync(victim, 'precious\n')
    const script = planting(
      ['dev-webhook-key.pem.$$.tmp', '.dev-webhook-key.pem.tmp', 'dev-webhook-key.pem.tmp']
        .map((name) => `ln -s '${victim}' '${dir}/${name}'`)
        .join('\n'),
    )
    const run = await runKick(['webhook', 'trigger', 'kicks.gifted', '--to', 'http://127.0.0.1:9/'], {
      env: home,
      bin: script,
    })
    // nothing listens on port 9: the trigger fails, after the key was made
    expect(run.code).toBe(1)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    const key = lstatSync(join(dir, 'dev-webhook-key.pem'))
    expect(key.isSymbolicLink()).toBe(false)
    expect(key.mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'dev-webhook-key.pem'), 'utf8')).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n[^]+\n-----END PRIVATE KEY-----\n$/,
    )
  })

  it('--save: a file and a FIFO at the old temp names survive untouched; only the delivery is added', async () => {
    const key = freshKey()
    const dir = mkdtempSync(join(tmpdir(), 'kick-save-'))
    const d = delivery(key.privateKey)
    // the old names: `.kick-write-test-<pid>` (the start-up probe) and `<id>.json.<pid>-<n>.tmp`
    const script = planting(
      [
        `mkfifo '${dir}'/.kick-write-test-$$`,
        ...[1, 2, 3].map((n) => `printf precious > '${dir}/${d.id}.json.'$$'-${n}.tmp'`),
      ].join('\n'),
      'launcher',
    )
    const running = await startKick(
      ['listen', '--public-key-file', key.pemFile, '--save', dir, '--count', '1'],
      {},
      20_000,
      [script],
    ).catch((error: Error) => error)
    if (running instanceof Error) throw running
    try {
      expect((await send(running.url, d)).status).toBe(200)
      expect((await running.exited).code).toBe(0)
    } finally {
      await stopKick(running)
    }
    const pid = running.child.pid!
    const names = readdirSync(dir).sort()
    expect(names).toEqual(
      [
        `${d.id}.json`,
        ...[1, 2, 3].map((n) => `${d.id}.json.${pid}-${n}.tmp`),
        `.kick-write-test-${pid}`,
      ].sort(),
    )
    expect(lstatSync(join(dir, `.kick-write-test-${pid}`)).isFIFO()).toBe(true)
    for (const n of [1, 2, 3])
      expect(readFileSync(join(dir, `${d.id}.json.${pid}-${n}.tmp`), 'utf8')).toBe('precious')
    expect(JSON.parse(readFileSync(join(dir, `${d.id}.json`), 'utf8'))).toMatchObject({ body: d.body })
  })
})

const root = process.getuid?.() === 0

describe('directories other users can write', () => {
  it('a 0777 config dir the user owns is made 0700 again, with a warning, and then used', async () => {
    const home = isolatedHome()
    const dir = configOf(home)
    mkdirSync(dir, { recursive: true })
    chmodSync(dir, 0o777)
    const run = await runKick(['config', 'set', 'client-id', 'mine'], { env: home })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe(
      `Warning: ${dir} was writable by other users: kick made it private (chmod 700), as ssh requires of ~/.ssh\n`,
    )
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readConfig(home).profiles.default).toEqual({ 'client-id': 'mine' })
  })

  it('the development key is not read from a dir others can write: kick trigger makes it 0700 first', async () => {
    const home = isolatedHome()
    const dir = configOf(home)
    mkdirSync(dir, { recursive: true })
    chmodSync(dir, 0o777)
    const run = await runKick(['trigger', 'kicks.gifted', '--to', 'http://127.0.0.1:9/'], { env: home })
    expect(run.stderr.split('\n')[0]).toBe(
      `Warning: ${dir} was writable by other users: kick made it private (chmod 700), as ssh requires of ~/.ssh`,
    )
    expect(statSync(dir).mode & 0o777).toBe(0o700)
  })

  it('a 0777 credentials dir is made 0700 before a token is stored in it', async () => {
    const home = isolatedHome()
    const credentials = join(configOf(home), 'credentials')
    mkdirSync(credentials, { recursive: true, mode: 0o700 })
    chmodSync(credentials, 0o777)
    const run = await runKick(['config', 'set', 'client-secret', '-'], {
      env: { ...home, ...NO_BUS },
      input: 'a-client-secret-value',
    })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`Warning: ${credentials} was writable by other users: kick made it private`)
    expect(statSync(credentials).mode & 0o777).toBe(0o700)
  })

  // chown needs root; the directory then belongs to a user kick does not run as
  it.runIf(root)(
    'a config dir owned by another user is refused: nothing is read or stored there',
    async () => {
      const home = isolatedHome()
      const dir = configOf(home)
      const credentials = join(dir, 'credentials')
      mkdirSync(credentials, { recursive: true, mode: 0o700 })
      // what the other user planted: an api-url that collects tokens, and a token of theirs
      writeFileSync(join(dir, 'config.json'), '{"profiles":{"default":{"api-url":"http://127.0.0.1:9"}}}')
      chownSync(dir, 54321, 54321)
      chmodSync(dir, 0o777)
      const refusal =
        `Error: refusing to use ${dir}: it is writable by other users, who could plant tokens or settings ` +
        'there: fix its owner and mode (chmod 700), or set XDG_CONFIG_HOME to a directory only you can write\n'
      const list = await runKick(['config', 'list'], { env: home })
      expect(list).toMatchObject({ code: 1, stdout: '', stderr: refusal })
      const set = await runKick(['config', 'set', 'client-secret', '-'], {
        env: { ...home, ...NO_BUS },
        input: 'a-client-secret-value',
      })
      expect(set).toMatchObject({ code: 1, stdout: '', stderr: refusal })
      expect(readdirSync(credentials)).toEqual([])
      expect(statSync(dir).mode & 0o777).toBe(0o777)
    },
  )
})

/** Runs kick as an ordinary user (nobody can write as root), where this checkout allows it. */
const asUser = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
const canRunAsUser = !root || runnableAsUser(65534)
const namespaces = spawnSync('unshare', ['--map-root-user', '--mount', 'true']).status === 0

/**
 * Runs the four commands that write the config dir first (issue 20, item 7) with HOME at `home` through
 * `launcher`, and expects of each one line naming the config dir and XDG_CONFIG_HOME, exit 1.
 */
async function expectFirstWritersRefused(home: string, launcher: string[], why: string): Promise<void> {
  const commands = [
    ['config', 'set', 'client-id', 'mine'],
    ['trigger', 'kicks.gifted', '--to', 'http://127.0.0.1:9/'],
    ['mock', 'start', '--port', '0'],
    ['listen', '--demo', '--count', '1'],
  ]
  const env = { HOME: home, XDG_CONFIG_HOME: '', XDG_CACHE_HOME: join(home, 'cache') }
  const script = planting('', 'launcher')
  const results = await Promise.all(
    commands.map((args) =>
      runKick([...launcher, process.execPath, BIN, ...args], { env, bin: script, timeoutMs: 30_000 }),
    ),
  )
  const dir = join(home, '.config', 'kick')
  const line =
    `Error: cannot write kick's config directory ${dir} (${why}): make it writable, or set XDG_CONFIG_HOME to ` +
    'a directory you can write (kick then uses $XDG_CONFIG_HOME/kick)\n'
  for (const result of results) expect(result).toMatchObject({ code: 1, stdout: '', stderr: line })
}

describe('a config directory kick cannot write (issue 20, item 7)', () => {
  it.runIf(canRunAsUser)(
    'an unwritable HOME: one line naming the directory and XDG_CONFIG_HOME',
    async () => {
      const base = mkdtempSync(join(tmpdir(), 'kick-rohome-'))
      chmodSync(base, 0o755)
      const home = join(base, 'home')
      mkdirSync(home, { mode: 0o555 })
      chmodSync(home, 0o555)
      await expectFirstWritersRefused(home, asUser, 'permission denied')
    },
    60_000,
  )

  it.runIf(namespaces)(
    'a read-only HOME (a read-only filesystem): the same one line',
    async () => {
      const home = mkdtempSync(join(tmpdir(), 'kick-rofs-'))
      const readOnly = [
        'unshare',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        'mount -t tmpfs -o ro,size=64k kick-test "$1" && shift && exec "$@"',
        'sh',
        home,
      ]
      await expectFirstWritersRefused(home, readOnly, 'read-only filesystem')
    },
    60_000,
  )
})
