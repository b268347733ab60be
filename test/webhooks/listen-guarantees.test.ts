import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS, samplePayload } from '../../src/kick/events.js'
import { BIN, ROOT, baseEnv, runKick, runnableAsUser } from '../helpers/run-kick.js'
import {
  type Answer,
  delivery,
  freshKey,
  pool,
  type Running,
  send,
  startKick,
  stopKick,
  until,
} from './helpers.js'

// What a 200 from `kick listen` promises (issue 10, point 4): the event was printed (and saved, with --save);
// whatever cannot be printed or saved is answered 5xx, so Kick sends it again.

const key = freshKey()
let running: Running | undefined
afterEach(async () => {
  await stopKick(running)
  running = undefined
})

const listen = async (args: string[], launcher: string[] = []): Promise<Running> => {
  running = await startKick(['listen', '--public-key-file', key.pemFile, ...args], {}, 20_000, launcher)
  return running
}

/**
 * Runs kick with a filesystem of its own mounted at `dir` (a user and mount namespace: no root needed, and
 * the mount goes away with the process). `unshare` execs, so the child's pid is kick's.
 */
const withTmpfs = (dir: string, options: string): string[] => [
  'unshare',
  '--map-root-user',
  '--mount',
  'sh',
  '-c',
  'mount -t tmpfs -o "$1" kick-test "$2" && shift 2 && exec "$@"',
  'sh',
  options,
  dir,
]
const namespaces = spawnSync('unshare', ['--map-root-user', '--mount', 'true']).status === 0

/** The exit code and stderr of a kick that is expected to exit before listening. */
async function exitBeforeListening(args: string[], launcher: string[] = [], env = {}): Promise<string> {
  const started = startKick(['listen', '--public-key-file', key.pemFile, ...args], env, 20_000, launcher)
  const error = await started.then(
    (kick) => {
      running = kick
      throw new Error('it listened')
    },
    (error: Error) => error,
  )
  return error.message
}

describe('kick listen --save: checked at start', () => {
  it('creates a missing directory, and refuses a file that is not one with exit 2 before listening', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kick-save-'))
    const file = join(root, 'file')
    writeFileSync(file, 'x')
    expect(await exitBeforeListening(['--save', file])).toBe(
      `kick listen --public-key-file ${key.pemFile} --save ${file} exited 2 before listening:\n` +
        `Error: --save ${file}: not a directory\n`,
    )
    expect(await exitBeforeListening(['--save', join(file, 'below')])).toMatch(
      /exited 2 before listening:\nError: --save .*\/file\/below: not a directory\n$/,
    )

    const missing = join(root, 'new', 'deliveries')
    const kick = await listen(['--save', missing, '--count', '1'])
    const d = delivery(key.privateKey)
    expect((await send(kick.url, d)).status).toBe(200)
    expect((await kick.exited).code).toBe(0)
    expect(readdirSync(missing)).toEqual([`${d.id}.json`])
  })

  it.skipIf(!namespaces)('refuses a read-only filesystem with exit 2 before listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-ro-'))
    expect(await exitBeforeListening(['--save', dir], withTmpfs(dir, 'ro,size=64k'))).toMatch(
      new RegExp(
        `exited 2 before listening:\nError: --save ${dir}: cannot write there \\(read-only filesystem\\)\n$`,
      ),
    )
  })

  // as root the check is made as nobody, who must be able to run this checkout
  it.skipIf(process.getuid?.() === 0 && !runnableAsUser(65534))(
    'refuses a directory it may not write to with exit 2 before listening',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'kick-perm-'))
      chmodSync(root, 0o755)
      const dir = join(root, 'locked')
      mkdirSync(dir, { mode: 0o555 })
      // root writes anywhere: the check is made as an ordinary user (nobody) then
      const asUser =
        process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
      const home = join(root, 'home')
      mkdirSync(home, { mode: 0o777 })
      chmodSync(home, 0o777)
      chmodSync(key.pemFile, 0o644)
      const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') }
      expect(await exitBeforeListening(['--save', dir], asUser, env)).toMatch(
        new RegExp(
          `exited 2 before listening:\nError: --save ${dir}: cannot write there \\(permission denied\\)\n$`,
        ),
      )
    },
  )
})

describe.skipIf(!namespaces)('kick listen --save on a full disk (a 64 KiB tmpfs)', () => {
  it('answers 500 to what it cannot save, prints only what it saved whole, and ends with exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-full-'))
    const kick = await listen(['--save', dir], withTmpfs(dir, 'size=64k'))
    // the listener's own view of the directory: the tmpfs is mounted in its namespace only
    const seen = `/proc/${kick.child.pid}/root${dir}`
    const payload = JSON.stringify({ ...samplePayload('chat.message.sent'), content: 'y'.repeat(1500) })
    const deliveries = Array.from({ length: 60 }, () => delivery(key.privateKey, { body: payload }))
    const answers = await pool(
      deliveries.map((d) => () => send(kick.url, d)),
      4,
    )
    const saved = deliveries.filter((_, i) => answers[i]!.status === 200)
    const refused = deliveries.filter((_, i) => answers[i]!.status === 500)
    expect(saved.length + refused.length).toBe(deliveries.length)
    expect(saved.length).toBeGreaterThan(0)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.filter((answer) => answer.status === 500)).toEqual(
      refused.map(() => ({ status: 500, body: '{"error":"listener cannot save"}' })),
    )

    // every 200 is printed and saved whole; nothing else is on disk: no empty, partial or temporary file
    await until(() => kick.events().length === saved.length, 'the saved events on stdout')
    expect(kick.events().map((event) => event.id)).toEqual(expect.arrayContaining(saved.map((d) => d.id)))
    expect(readdirSync(seen).sort()).toEqual(saved.map((d) => `${d.id}.json`).sort())
    for (const d of saved) {
      const file = JSON.parse(readFileSync(join(seen, `${d.id}.json`), 'utf8')) as {
        headers: Record<string, string>
        body: string
      }
      expect(file.body).toBe(d.body)
      expect(file.headers[EVENT_HEADERS.signature]).toBe(d.headers[EVENT_HEADERS.signature])
    }
    const verified = await runKick([
      'webhook',
      'verify',
      '--file',
      join(seen, `${saved[0]!.id}.json`),
      '--public-key-file',
      key.pemFile,
    ])
    expect(verified.code).toBe(0)
    for (const d of refused)
      expect(kick.stderr()).toContain(
        `not saved ${d.id} (chat.message.sent) to ${dir}: ENOSPC: no space left on device`,
      )
    expect(kick.stderr().match(/^not saved /gm)).toHaveLength(refused.length)

    // a refused delivery was not taken: once there is room, Kick's retry of it is saved and printed
    for (const d of saved.slice(0, 3)) rmSync(join(seen, `${d.id}.json`))
    expect((await send(kick.url, refused[0]!)).status).toBe(200)
    await until(() => kick.events().some((event) => event.id === refused[0]!.id), 'the retried event')

    kick.child.kill('SIGTERM')
    expect((await kick.exited).code).toBe(1)
    expect(kick.stderr()).toMatch(
      new RegExp(
        `${saved.length + 1} events printed\nError: ${refused.length} deliveries could not be saved to ${dir} ` +
          '\\(answered 500\\): Kick sends what was not answered 200 again\n$',
      ),
    )
  })
})

describe('kick listen when stdout goes away', () => {
  it('answers 503 once its reader is gone, counts no line that went nowhere, and exits 1 quietly', async () => {
    const kick = await listen([])
    const before = [delivery(key.privateKey), delivery(key.privateKey)]
    for (const d of before) expect((await send(kick.url, d)).status).toBe(200)
    await until(() => kick.events().length === 2, 'two events')
    // the reader closes its end of the pipe
    kick.child.stdout.destroy()
    const after = delivery(key.privateKey)
    expect(await send(kick.url, after)).toEqual({ status: 503, body: '{"error":"listener cannot print"}' })
    expect((await kick.exited).code).toBe(1)
    expect(kick.stderr()).toContain('stopping: stdout closed (write EPIPE)\n2 events printed\n')
    expect(kick.stderr()).not.toMatch(/Error|at /)
  })

  it('a stdout that fails (a full disk: /dev/full) is exit 1 with the reason, and the delivery 503', async () => {
    const child = spawn(process.execPath, [BIN, 'listen', '--public-key-file', key.pemFile], {
      cwd: ROOT,
      env: baseEnv(),
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
    })
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await until(() => /Listening on (\S+)/.test(stderr), 'the banner')
    const url = /Listening on (\S+)/.exec(stderr)![1]!
    expect((await send(url, delivery(key.privateKey))).status).toBe(503)
    expect(await exited).toBe(1)
    expect(stderr).toMatch(
      /stopping: stdout closed \(ENOSPC: no space left on device, write\)\n0 events printed\nError: cannot write to stdout \(ENOSPC: no space left on device, write\): Kick sends what was not answered 200 again\n$/,
    )
  })

  it('`kick listen --demo | head -1` prints one line and ends quietly', async () => {
    const result = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      const child = spawn(
        'bash',
        [
          '-c',
          '"$@" | head -1; echo "listen exited ${PIPESTATUS[0]}" >&2',
          'bash',
          process.execPath,
          BIN,
          'listen',
          '--demo',
        ],
        { cwd: ROOT, env: baseEnv() },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('close', (code) => resolve({ stdout, stderr, code }))
    })
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    expect((JSON.parse(result.stdout) as { type: string }).type).toBe('chat.message.sent')
    expect(result.stderr).toMatch(
      /stopping: stdout closed \(write EPIPE\)\n(.*\n)*1 event printed\nlisten exited 1\n$/,
    )
    expect(result.stderr).not.toMatch(/Error|Warning|at /)
  })
})

describe('kick listen stopped while stdout is stalled (a reader that does not read)', () => {
  /**
   * One small delivery (its line fits the pipe: answered 200), then `count` whose lines are each far bigger
   * than a pipe and its reader's buffer hold: none of those can be written while nobody reads. Answers (or the error a reset
   * would be) are collected as they come.
   */
  const stall = async (kick: Running, count: number) => {
    kick.child.stdout.pause()
    const first = delivery(key.privateKey)
    expect((await send(kick.url, first)).status).toBe(200)
    const body = JSON.stringify({ ...samplePayload('chat.message.sent'), content: 'z'.repeat(900_000) })
    const deliveries = Array.from({ length: count }, () => delivery(key.privateKey, { body }))
    const answers: (Answer | Error)[] = []
    const sent = deliveries.map((d, i) =>
      send(kick.url, d).then(
        (answer) => (answers[i] = answer),
        (error: Error) => (answers[i] = error),
      ),
    )
    // Let them arrive (milliseconds on loopback; nothing shows when they have). One that came after the stop
    // would be answered 503 too, as 'listener is stopping'.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    return { first, deliveries, answers, sent }
  }

  it('answers what is waiting 503 (not 200, not a reset), gives stdout 5 s, then exits 1', async () => {
    const kick = await listen([])
    const { first, deliveries, answers, sent } = await stall(kick, 6)
    // a repeat of one that waits shares its fate (it is not answered 200 as a duplicate)
    const repeat = send(kick.url, deliveries[0]!)
    await new Promise((resolve) => setTimeout(resolve, 200))

    const exit = new Promise<number | null>((resolve) => kick.child.on('exit', (code) => resolve(code)))
    kick.child.kill('SIGTERM')
    await Promise.all(sent)
    expect(await exit).toBe(1)
    const cannotPrint = { status: 503, body: '{"error":"listener cannot print"}' }
    const stopping = { status: 503, body: '{"error":"listener is stopping"}' }
    for (const answer of [...answers, await repeat]) expect([cannotPrint, stopping]).toContainEqual(answer)
    const waited = answers.filter((answer) => (answer as Answer).body === cannotPrint.body).length
    expect(waited).toBeGreaterThan(0)

    // now the reader reads: the delivery answered 200 is there, whole
    kick.child.stdout.resume()
    await kick.exited
    expect((JSON.parse(kick.stdout().split('\n')[0]!) as { id: string }).id).toBe(first.id)
    expect(kick.stderr()).toContain(
      `stopping: SIGTERM\n1 event printed\nError: stdout did not drain within 5 s of the stop: ${waited} deliveries ` +
        'answered 503: Kick sends what was not answered 200 again\n',
    )
  })

  it('a second signal exits 130 at once', async () => {
    const kick = await listen([])
    await stall(kick, 3)
    const exit = new Promise<number | null>((resolve) => kick.child.on('exit', (code) => resolve(code)))
    kick.child.kill('SIGTERM')
    await until(() => kick.stderr().includes('stopping: SIGTERM'), 'the stop')
    kick.child.kill('SIGINT')
    expect(await exit).toBe(130)
    kick.child.stdout.resume()
  })
})
