import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

import { eventJsonLine, eventRecord, terminalLine } from './event-line.js'
import { deliveryHeaders, Forwarder } from './forwarder.js'
import { LineWriter } from './line-writer.js'
import type { PublicKeys } from './public-key.js'

/** Kick's payloads are a few kB; anything over this is not a delivery (413, read no further). */
export const MAX_BODY_BYTES = 1024 * 1024
/** How many message ids are remembered for dedupe: bounded memory, far more than Kick's retry horizon. */
const RECENT_IDS = 10_000
/** How long a stop waits for in-flight requests and forwards before cutting them off. */
const STOP_GRACE_MS = 5_000

export interface ListenerOptions {
  host: string
  /** 0: a free port */
  port: number
  path: string
  /** replay window; 0 disables */
  maxAgeMs: number
  /** print (and save, forward, count) only these types; undefined: all */
  events?: ReadonlySet<string>
  /** stop after this many printed events */
  count?: number
  /** one JSON line per event (else a readable line) */
  json: boolean
  out: NodeJS.WriteStream
  /** one line on stderr */
  log: (line: string) => void
  forwardTo?: string
  saveDir?: string
}

/** The ids seen lately, oldest forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>()
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id)
  }
  add(id: string): void {
    this.ids.add(id)
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!)
  }
  delete(id: string): void {
    this.ids.delete(id)
  }
}

/**
 * The `kick listen` server: every POST to `path` is verified (signature, replay window), deduplicated by
 * message id, printed on stdout, answered 200 only once its line is queued to stdout, then saved and
 * forwarded. Rejections are answered 400/401/413 and logged on stderr.
 */
export class WebhookListener {
  readonly writer: LineWriter
  private server?: Server
  private readonly recent = new RecentIds(RECENT_IDS)
  /** requests whose answer has not left yet; stop() waits for none to be left */
  private inFlight = 0
  private onIdle?: () => void
  private readonly sideTasks = new Set<Promise<void>>()
  private readonly forwarder?: Forwarder
  private keys?: PublicKeys
  private printed = 0
  private stopping = false
  private finishedResolve!: (reason: string) => void
  /** resolves with why the listener should stop on its own: `--count` reached, or stdout went away */
  readonly finished: Promise<string>

  constructor(private readonly options: ListenerOptions) {
    this.writer = new LineWriter(options.out)
    this.finished = new Promise((resolve) => (this.finishedResolve = resolve))
    if (options.forwardTo) this.forwarder = new Forwarder(options.forwardTo, { report: options.log })
  }

  /** The keys deliveries are verified with; until set (the demo's are known only once its mock runs), 503. */
  useKeys(keys: PublicKeys): void {
    this.keys = keys
  }

  get printedCount(): number {
    return this.printed
  }

  /** Starts listening; answers the local URL (with the path). */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res))
    server.keepAliveTimeout = 5_000
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { port } = server.address() as AddressInfo
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host
    const shown = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host
    return `http://${shown}:${port}${this.options.path}`
  }

  /**
   * Stops accepting, lets in-flight requests finish (their events printed), flushes stdout, finishes saves
   * and gives forwards a grace period.
   */
  async stop(): Promise<void> {
    if (this.stopping && !this.server) return
    this.stopping = true
    const server = this.server
    this.server = undefined
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const idle = this.inFlight ? new Promise<void>((resolve) => (this.onIdle = resolve)) : undefined
      if (idle) await withDeadline(idle, STOP_GRACE_MS)
      server.closeAllConnections()
      await closed
    }
    await Promise.allSettled([...this.sideTasks])
    await this.forwarder?.drain(STOP_GRACE_MS)
    await this.writer.flush()
  }

  /**
   * One request: counted in flight until its answer has left (a counter and one listener rather than
   * promises per request: measured ~18% more events/s under 32 concurrent senders).
   */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++
    res.once('close', () => {
      if (--this.inFlight === 0) this.onIdle?.()
    })
    this.process(req, res).catch((error: Error) => {
      this.options.log(`request failed: ${error.message}`)
      if (!res.headersSent) reply(res, 500, { error: 'internal error' })
    })
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const from = req.socket.remoteAddress ?? '?'
    const rejectWith = (status: number, reason: string, id?: string): void => {
      this.options.log(
        `rejected ${status} ${req.method} ${req.url} from ${from}${id ? ` (${id})` : ''}: ${reason}`,
      )
      reply(res, status, { error: reason })
    }
    if (this.stopping || !this.keys) {
      res.setHeader('connection', 'close')
      return reply(res, 503, { error: 'listener is stopping' })
    }
    const pathname = (req.url ?? '/').split('?')[0]
    if (pathname !== this.options.path) return rejectWith(404, `not the webhook path (${this.options.path})`)
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST')
      return rejectWith(405, 'only POST')
    }

    const body = await readBody(req, MAX_BODY_BYTES)
    if (body === 'too-large') {
      res.setHeader('connection', 'close')
      return rejectWith(413, `body over ${MAX_BODY_BYTES} bytes`)
    }
    if (body === 'aborted') return
    const receivedAt = new Date()

    const checked = this.keys.verify(req.headers, body, { maxAgeMs: this.options.maxAgeMs })
    const verification = checked instanceof Promise ? await checked : checked
    if (!verification.ok) {
      const { status, reason, id } = verification.rejection
      return rejectWith(status, reason, id)
    }
    const delivery = verification.delivery
    if (this.recent.has(delivery.id)) {
      this.options.log(`duplicate ${delivery.id} (${delivery.type}): answered 200, not printed again`)
      return reply(res, 200, { duplicate: delivery.id })
    }
    if (this.options.events && !this.options.events.has(delivery.type)) {
      this.recent.add(delivery.id)
      return reply(res, 200, { ignored: delivery.id })
    }
    const limit = this.options.count
    if (limit !== undefined && this.printed >= limit) {
      res.setHeader('connection', 'close')
      return reply(res, 503, { error: 'listener is stopping' })
    }

    // Claim the id and the count slot before waiting on stdout, so concurrent duplicates print once.
    this.recent.add(delivery.id)
    this.printed++
    const line = this.options.json
      ? eventJsonLine(delivery, receivedAt)
      : terminalLine(eventRecord(delivery, receivedAt), this.options.out)
    try {
      const queued = this.writer.write(`${line}\n`)
      if (queued) await queued
    } catch (error) {
      this.recent.delete(delivery.id)
      this.printed--
      this.finishedResolve(`stdout closed (${(error as Error).message})`)
      return reply(res, 503, { error: 'listener cannot print' })
    }
    // Accepted and printed: an empty 200, the cheapest answer there is (~15% more events/s than a JSON body
    // under 32 senders). Deliveries that are not printed (duplicate, filtered) say why in a JSON body.
    res.writeHead(200, { 'content-length': 0 }).end()

    const headers = deliveryHeaders(req.rawHeaders)
    if (this.options.saveDir)
      this.side(saveDelivery(this.options.saveDir, delivery.id, headers, body), delivery.id)
    this.forwarder?.push(delivery.id, headers, body)
    if (limit !== undefined && this.printed >= limit) this.finishedResolve(`${limit} events received`)
  }

  private side(task: Promise<void>, id: string): void {
    const tracked = task.catch((error: Error) => this.options.log(`save ${id} failed: ${error.message}`))
    this.sideTasks.add(tracked)
    void tracked.finally(() => this.sideTasks.delete(tracked))
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, string>): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * The raw body bytes, or `too-large` as soon as it passes `limit` (from Content-Length, or counted): what
 * is left is drained unread so the client still gets its 413, and the connection is closed after it.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    discard(req)
    return 'too-large'
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        chunks.length = 0
        discard(req)
        resolve('too-large')
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', () => resolve('aborted'))
    // after `end` this changes nothing; before it, the client went away mid-body
    req.once('close', () => resolve('aborted'))
  })
}

/** Let the rest of an oversized body flow into nothing, up to a bound, then hang up. */
function discard(req: IncomingMessage): void {
  let dropped = 0
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > 16 * MAX_BODY_BYTES) req.socket.destroy()
  })
  req.resume()
}

/** A saved delivery: the `{headers, body}` form `kick webhook verify --file` reads. */
async function saveDelivery(
  dir: string,
  id: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<void> {
  const safe = /^[A-Za-z0-9_-]{1,100}$/.test(id)
    ? id
    : createHash('sha256').update(id).digest('hex').slice(0, 32)
  await mkdir(dir, { recursive: true })
  const text = JSON.stringify({ headers, body: body.toString('utf8') }, null, 2) + '\n'
  await writeFile(join(dir, `${safe}.json`), text)
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    work,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ])
}
