/**
 * `npm run bench`: the performance figures of issue 6, each as a ratio against a bare baseline measured in the
 * same run (these machines are shared and noisy, so absolute times mean little).
 *
 *   start-up   median of interleaved cold runs of `kick --version`, `kick --help` and `kick users get --json`
 *              (against a loopback server) over `node -e 0`, beside the floor for a real command: a bare
 *              script making the same one request (bench/one-request.cjs). On Node >= 22 also `users get`
 *              and `--help` with each code cache bin/run.js can use (V8's through vm.Script, Node's
 *              module.enableCompileCache)
 *   listen     3,000 signed events from 32 keep-alive senders, timed after 1,000 of warm-up: events/s of
 *              `kick listen` over a bare node:http + crypto.verify server (medians of 9 interleaved runs),
 *              p99 answer latency; then 30,000 more, RSS before/after, and every event printed exactly once;
 *              the memory deduplication holds at 1,000,000 ids (26-byte ULIDs, and 128-byte ids, the most taken)
 *   paginate   `kick categories list --paginate --json` over 10,000 and 1,000,000 items: peak RSS
 *   hostile    the answer latency of 50 real deliveries, each on a new connection, while 2,000 idle and
 *              trickling connections are held open against `kick listen`
 *
 * Set BENCH_ROUNDS (start-up rounds, default 21) or BENCH_ONLY=startup|listen|paginate|hostile to narrow a run,
 * and KICK_BENCH_NODE to the path of another node binary to measure kick (and its baselines) on that Node.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync, sign } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { Agent, createServer, request, type Server } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
/** the Node that runs every measured child (kick and its baselines alike) */
const NODE = process.env.KICK_BENCH_NODE || process.execPath
const NODE_MAJOR = Number(spawnSync(NODE, ['-p', 'process.versions.node']).stdout.toString().split('.')[0])
const HOME = mkdtempSync(join(tmpdir(), 'kick-bench-'))
// Built from nothing, not from this process's environment: a NODE_EXTRA_CA_CERTS (or NODE_OPTIONS) there
// makes every Node start slower (~50 ms for a CA bundle) and would hide kick's own cost.
const ENV = {
  PATH: process.env.PATH,
  HOME,
  XDG_CONFIG_HOME: join(HOME, 'config'),
  XDG_CACHE_HOME: join(HOME, 'cache'),
  NO_COLOR: '1',
  KICK_ACCESS_TOKEN: 'bench-token',
}
const inherited = spawnSync(NODE, ['-p', 'Object.keys(process.env).filter((k) => /^NODE_/.test(k)).join()'], {
  env: ENV,
})
  .stdout.toString()
  .trim()
if (inherited) throw new Error(`the bench's children would see ${inherited}`)
const only = process.env.BENCH_ONLY
const figures: { figure: string; value: string; target: string; pass?: boolean }[] = []

function report(figure: string, value: string, target = '', pass?: boolean): void {
  figures.push({ figure, value, target, pass })
  const verdict = pass === undefined ? '' : pass ? '  ok' : '  MISSED'
  console.log(`${figure}: ${value}${target ? ` (target ${target})` : ''}${verdict}`)
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Wall time of one run, spawned asynchronously so loopback servers in this process keep answering. */
function timeRun(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(NODE, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve(Number(process.hrtime.bigint() - start) / 1e6)
    })
  })
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function startup(): Promise<void> {
  const users = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        data: [{ user_id: 1, name: 'bench', email: '', profile_picture: '' }],
        message: 'OK',
      }),
    )
  })
  const apiUrl = await listenOn(users)
  const env = { ...ENV, KICK_API_URL: apiUrl }
  const runs: Record<string, { args: string[]; env: NodeJS.ProcessEnv }> = {
    'node -e 0': { args: ['-e', '0'], env },
    'bare one-request script (floor)': { args: [join(ROOT, 'bench', 'one-request.cjs')], env },
    'kick --version': { args: [BIN, '--version'], env },
    'kick --help': { args: [BIN, '--help'], env },
    'kick users get --json': { args: [BIN, 'users', 'get', '--json'], env },
  }
  // bin/run.js picks one code cache; KICK_CODE_CACHE makes it use the other, each with a cache dir of its own.
  const caches = NODE_MAJOR >= 22 ? ['vm', 'compile'] : []
  for (const cache of caches) {
    const cacheEnv = { ...env, KICK_CODE_CACHE: cache, XDG_CACHE_HOME: join(HOME, `cache-${cache}`) }
    runs[`kick --help, ${cache} cache`] = { args: [BIN, '--help'], env: cacheEnv }
    runs[`kick users get --json, ${cache} cache`] = { args: [BIN, 'users', 'get', '--json'], env: cacheEnv }
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((name) => [name, []]))
  // warm the file cache, and write kick's code caches (a command adds its functions on its first run)
  for (let warm = 0; warm < 2; warm++) for (const run of Object.values(runs)) await timeRun(run.args, run.env)
  const rounds = Number(process.env.BENCH_ROUNDS ?? 21)
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(runs)) times[name]!.push(await timeRun(run.args, run.env))
  }
  users.close()
  const base = median(times['node -e 0']!)
  const ratio = (name: string): string =>
    `${(median(times[name]!) / base).toFixed(2)}x (${median(times[name]!).toFixed(1)} ms)`
  report(`start-up node -e 0 (baseline), Node ${NODE_MAJOR}`, `${base.toFixed(1)} ms median of ${rounds}`)
  report('start-up bare one-request script (floor)', ratio('bare one-request script (floor)'))
  const targets: Record<string, number> = {
    'kick --version': 1.2,
    'kick --help': 1.7,
    'kick users get --json': 1.8,
  }
  for (const [name, target] of Object.entries(targets)) {
    const value = median(times[name]!) / base
    report(`start-up ${name}`, ratio(name), `≤ ${target}x`, value <= target)
  }
  for (const cache of caches) {
    for (const name of [`kick --help, ${cache} cache`, `kick users get --json, ${cache} cache`])
      report(`start-up ${name}`, ratio(name))
  }
}

interface SignedEvent {
  id: string
  headers: Record<string, string>
  body: Buffer
}

function signedEvents(
  count: number,
  privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'],
): SignedEvent[] {
  const events: SignedEvent[] = []
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  for (let i = 0; i < count; i++) {
    const id = `01BENCH${String(i).padStart(19, '0')}`
    const body = Buffer.from(
      JSON.stringify({
        message_id: `msg-${i}`,
        broadcaster: { user_id: 1, username: 'bench', channel_slug: 'bench' },
        sender: { user_id: 2, username: `viewer${i % 500}`, channel_slug: `viewer${i % 500}` },
        content: `message number ${i} with some chat text, as a busy channel sends`,
        emotes: null,
        created_at: timestamp,
      }),
    )
    const signature = sign('sha256', Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]), privateKey)
    events.push({
      id,
      body,
      headers: {
        'content-type': 'application/json',
        'kick-event-message-id': id,
        'kick-event-subscription-id': '01BENCHSUBSCRIPTION0000000',
        'kick-event-signature': signature.toString('base64'),
        'kick-event-message-timestamp': timestamp,
        'kick-event-type': 'chat.message.sent',
        'kick-event-version': '1',
      },
    })
  }
  return events
}

/** A listener process: where it listens, how many event lines it printed, which ids. */
interface Listener {
  child: ChildProcess
  url: string
  /** the ids of the lines printed so far, parsed when asked (not while events are being timed) */
  printed: () => Set<string>
  lines: () => number
}

function startListener(args: string[]): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    // This process also sends the events: while they are timed it only counts line ends, so that reading
    // a listener's output (kick's lines carry more fields than the baseline's) costs the senders nothing.
    const chunks: Buffer[] = []
    let lines = 0
    child.stdout!.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
    })
    const printed = (): Set<string> => {
      const text = Buffer.concat(chunks).toString('utf8')
      const ids = text.split('\n').filter(Boolean)
      return new Set(ids.map((line) => (JSON.parse(line) as { id: string }).id))
    }
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}/`, printed, lines: () => lines })
    })
    child.on('exit', (code) => reject(new Error(`listener exited ${code}: ${stderr}`)))
    setTimeout(() => reject(new Error(`listener did not start: ${stderr}`)), 15_000).unref()
  })
}

/** One POST of a signed event; answers its status. */
function postEvent(url: string, agent: Agent | false, event: SignedEvent): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: event.headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(event.body)
  })
}

/** Sends events from `senders` concurrent keep-alive connections; answers the per-request latencies in ms. */
async function send(
  url: string,
  events: SignedEvent[],
  senders: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: senders })
  const latencies: number[] = []
  let next = 0
  const started = process.hrtime.bigint()
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const event = events[next++]!
      const sent = process.hrtime.bigint()
      const status = await postEvent(url, agent, event)
      if (status !== 200) throw new Error(`event ${event.id} answered ${status}`)
      latencies.push(Number(process.hrtime.bigint() - sent) / 1e6)
    }
  }
  await Promise.all(Array.from({ length: senders }, worker))
  agent.destroy()
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies }
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function rssMiB(pid: number): number {
  const status = spawnSync('cat', [`/proc/${pid}/status`]).stdout.toString()
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function listen(): Promise<void> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = join(HOME, 'bench-public.pem')
  writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }))
  // A listener runs for hours, so what counts is its steady state: each run first sends WARM events (V8
  // optimizes a server's code only after it has run a while, kick's longer path later than the bare
  // baseline's), then times MEASURED more. Every run is a fresh process and gets the same events.
  const WARM = 1000
  const MEASURED = 3000
  const ROUNDS = 9
  const events = signedEvents(WARM + MEASURED + 30_000, privateKey)

  const measure = async (name: string, args: string[]) => {
    const listener = await startListener(args)
    const warm = events.slice(0, WARM)
    await send(listener.url, warm, 32)
    await waitFor(() => listener.lines() >= warm.length, 'warm-up')
    const measured = events.slice(WARM, WARM + MEASURED)
    const started = process.hrtime.bigint()
    const { latencies } = await send(listener.url, measured, 32)
    await waitFor(() => listener.lines() >= WARM + MEASURED, `${name}: every event printed`)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    return { listener, rate: measured.length / seconds, p99: percentile(latencies, 99) }
  }

  // One run of each is at the mercy of whatever else the machine does: nine interleaved runs of each
  // server (a fresh process every time), compared by their medians.
  const kickArgs = [BIN, 'listen', '--public-key-file', pem, '--max-age', '0', '--json']
  const baselineRuns: { rate: number; p99: number }[] = []
  const kickRuns: { rate: number; p99: number }[] = []
  let kick: Awaited<ReturnType<typeof measure>> | undefined
  for (let round = 0; round < ROUNDS; round++) {
    const baseline = await measure('baseline', [join(ROOT, 'bench', 'baseline-listener.js'), pem])
    baseline.listener.child.kill('SIGTERM')
    baselineRuns.push(baseline)
    kick?.listener.child.kill('SIGTERM')
    kick = await measure('kick listen', kickArgs)
    kickRuns.push(kick)
  }
  const baselineRate = median(baselineRuns.map((run) => run.rate))
  const kickRate = median(kickRuns.map((run) => run.rate))
  const ratio = kickRate / baselineRate
  report(
    'listen baseline (node:http + crypto.verify)',
    `${baselineRate.toFixed(0)} events/s, p99 ${median(baselineRuns.map((run) => run.p99)).toFixed(1)} ms (median of ${ROUNDS})`,
  )
  report(
    `listen kick, ${MEASURED.toLocaleString('en')} events after ${WARM.toLocaleString('en')}, 32 senders`,
    `${ratio.toFixed(2)}x baseline (${kickRate.toFixed(0)} events/s, p99 ${median(kickRuns.map((run) => run.p99)).toFixed(1)} ms, median of ${ROUNDS})`,
    '≥ 0.9x',
    ratio >= 0.9,
  )
  if (!kick) throw new Error('no listen run')
  const ids = kick.listener.printed()
  const exactlyOnce = ids.size === WARM + MEASURED && kick.listener.lines() === WARM + MEASURED
  report(
    'listen every event printed exactly once',
    `${kick.listener.lines()} lines, ${ids.size} ids`,
    String(WARM + MEASURED),
    exactlyOnce,
  )

  const before = rssMiB(kick.listener.child.pid!)
  const rest = events.slice(WARM + MEASURED)
  await send(kick.listener.url, rest, 32)
  await waitFor(() => kick.listener.lines() >= events.length, 'the 30,000 events printed')
  const after = rssMiB(kick.listener.child.pid!)
  report(
    'listen RSS before/after 30,000 more events',
    `${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB`,
    'flat',
    after < before * 1.5 + 10,
  )
  const all = kick.listener.printed()
  report(
    `listen all ${events.length.toLocaleString('en')} events printed exactly once`,
    `${kick.listener.lines()} lines, ${all.size} ids`,
    String(events.length),
    all.size === events.length && kick.listener.lines() === events.length,
  )
  kick.listener.child.kill('SIGTERM')
  dedupMemory()
}

/**
 * What deduplication holds when full (1,000,000 ids), against the README's figures: Kick's ids are ULIDs
 * (26 characters), and the listener refuses any over 128 bytes, the worst case (bench/seen-ids-memory.ts).
 */
function dedupMemory(): void {
  for (const [length, stated] of [
    [26, 150],
    [128, 240],
  ] as const) {
    const child = spawnSync(
      NODE,
      ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'seen-ids-memory.ts'), String(length)],
      { cwd: ROOT, env: ENV },
    )
    if (child.status !== 0) throw new Error(`seen-ids-memory.ts failed: ${child.stderr.toString()}`)
    const measured = JSON.parse(child.stdout.toString()) as {
      ids: number
      heapMiB: number
      peakRssMiB: number
    }
    report(
      `listen dedupe memory, ${measured.ids.toLocaleString('en')} ids of ${length} bytes`,
      `peak RSS +${measured.peakRssMiB.toFixed(0)} MiB (heap ${measured.heapMiB.toFixed(0)} MiB after GC)`,
      `≤ ${stated} MiB (README)`,
      measured.peakRssMiB <= stated,
    )
  }
}

async function paginate(): Promise<void> {
  const pageSize = 1000
  // spawnSync blocks this process's event loop, so the page server runs in a child process.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'page-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  )
  const measure = (items: number) => {
    const result = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'maxrss %M',
        NODE,
        BIN,
        'categories',
        'list',
        '--paginate',
        '--json',
        '--limit',
        String(pageSize),
      ],
      { env: { ...ENV, KICK_API_URL: `${url}/${items}` }, maxBuffer: 1 << 30 },
    )
    const kib = Number(/maxrss (\d+)/.exec(result.stderr.toString())?.[1])
    const count = (JSON.parse(result.stdout.toString()) as unknown[]).length
    if (count !== items)
      throw new Error(`paginate printed ${count} items, expected ${items}: ${result.stderr}`)
    return kib / 1024
  }
  const small = measure(10_000)
  const large = measure(1_000_000)
  child.kill()
  report('paginate peak RSS, 10,000 items', `${small.toFixed(0)} MiB`)
  report(
    'paginate peak RSS, 1,000,000 items',
    `${large.toFixed(0)} MiB (${(large / small).toFixed(2)}x the 10,000 run)`,
    '≤ 1.15x',
    large <= small * 1.15,
  )
}

/** Issue 10: a flood of idle connections must not keep a real delivery waiting. */
async function hostile(): Promise<void> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = join(HOME, 'hostile-public.pem')
  writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }))
  const listener = await startListener([BIN, 'listen', '--public-key-file', pem, '--json'])
  const { port } = new URL(listener.url)
  const held: Socket[] = []
  const trickling: Socket[] = []
  let closed = 0
  for (let i = 0; i < 2000; i++) {
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => {}).on('close', () => closed++)
    held.push(socket)
    if (i % 2) {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\n')
      trickling.push(socket)
    }
  }
  const trickle = setInterval(() => {
    for (const socket of trickling) if (!socket.destroyed) socket.write('X-Slow: 1\r\n')
  }, 500)
  await waitFor(() => closed >= 1000, 'the listener to close the connections past its cap')
  const events = signedEvents(50, privateKey)
  const latencies: number[] = []
  for (const event of events) {
    const sent = process.hrtime.bigint()
    // a new connection each, as a sender the flood would have to make room for
    const status = await postEvent(listener.url, false, event)
    if (status !== 200) throw new Error(`event ${event.id} answered ${status}`)
    latencies.push(Number(process.hrtime.bigint() - sent) / 1e6)
  }
  clearInterval(trickle)
  for (const socket of held) socket.destroy()
  listener.child.kill('SIGTERM')
  const p99 = percentile(latencies, 99)
  report(
    'hostile: a delivery on a new connection while 2,000 idle/trickling ones are held',
    `median ${median(latencies).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms of 50 (${2000 - closed} of the 2,000 still open)`,
    '≤ 100 ms',
    p99 <= 100,
  )
}

if (!only || only === 'startup') await startup()
if (!only || only === 'listen') await listen()
if (!only || only === 'paginate') await paginate()
if (!only || only === 'hostile') await hostile()

console.log('\n| figure | value | target |\n|---|---|---|')
for (const { figure, value, target, pass } of figures) {
  console.log(`| ${figure} | ${value} | ${target}${pass === undefined ? '' : pass ? ' ✓' : ' ✗'} |`)
}
