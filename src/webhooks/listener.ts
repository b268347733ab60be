import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

import { eventJsonLine, eventRecord, type ListenDisplay } from './event-line.js'
import { deliveryHeaders, Forwarder } from './forwarder.js'
import { LineWriter } from './line-writer.js'
import type { PublicKeys } from './public-key.js'
import type { VerifiedDelivery, Verification, VerifyOptions } from './verify.js'

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
  /** event lines for a terminal, rejection and forward lines on stderr */
  display: ListenDisplay
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

  private readonly verifyOptions: VerifyOptions

  constructor(private readonly options: ListenerOptions) {
    this.verifyOptions = { maxAgeMs: options.maxAgeMs }
    this.writer = new LineWriter(options.out)
    this.finished = new Promise((resolve) => (this.finishedResolve = resolve))
    if (options.forwardTo)
      this.forwarder = new Forwarder(options.forwardTo, {
        report: options.log,
        forwarded: (outcome) => options.display.forwarded(outcome),
      })
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
   * One request, counted in flight until its answer has left. The common path (a valid delivery, stdout
   * keeping up) runs in plain callbacks, with no promise or once-wrapper per request: each of those showed
   * up as events/s lost under 32 concurrent senders (issue 6's bench). Its line joins the others accepted
   * in the same turn of the event loop in one write to stdout, and it is answered once that write is done.
   */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++
    res.on('close', this.requestClosed)
    if (this.stopping || !this.keys) {
      res.setHeader('connection', 'close')
      return reply(res, 503, { error: 'listener is stopping' })
    }
    const url = req.url ?? '/'
    const query = url.indexOf('?')
    const pathname = query === -1 ? url : url.slice(0, query)
    if (pathname !== this.options.path)
      return this.reject(req, res, 404, `not the webhook path (${this.options.path})`)
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST')
      return this.reject(req, res, 405, 'only POST')
    }
    readBody(req, MAX_BODY_BYTES, (body) => {
      if (body === 'too-large') {
        res.setHeader('connection', 'close')
        return this.reject(req, res, 413, `body over ${MAX_BODY_BYTES} bytes`)
      }
      // aborted mid-body: the client is gone, and so is whom to answer
      if (body === 'aborted') return
      try {
        this.verifyAndAccept(req, res, body)
      } catch (error) {
        this.failed(res, error as Error)
      }
    })
  }

  private readonly requestClosed = (): void => {
    if (--this.inFlight === 0) this.onIdle?.()
  }

  private failed(res: ServerResponse, error: Error): void {
    this.options.log(`request failed: ${error.message}`)
    if (!res.headersSent) reply(res, 500, { error: 'internal error' })
  }

  private reject(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    reason: string,
    id?: string,
  ): void {
    const from = req.socket.remoteAddress ?? '?'
    this.options.display.rejected(
      `rejected ${status} ${req.method} ${req.url} from ${from}${id ? ` (${id})` : ''}: ${reason}`,
    )
    reply(res, status, { error: reason })
  }

  /** Verifies (synchronously, unless Kick's key has to be fetched again), then accepts. */
  private verifyAndAccept(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const receivedAt = new Date()
    const checked = this.keys!.verify(req.headers, body, this.verifyOptions)
    if (checked instanceof Promise) {
      checked
        .then((verification) => this.accept(req, res, body, verification, receivedAt))
        .catch((error: Error) => this.failed(res, error))
    } else {
      this.accept(req, res, body, checked, receivedAt)
    }
  }

  private accept(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    verification: Verification,
    receivedAt: Date,
  ): void {
    if (!verification.ok) {
      const { status, reason, id } = verification.rejection
      return this.reject(req, res, status, reason, id)
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
      : this.options.display.eventLine(eventRecord(delivery, receivedAt))
    this.writer.write(`${line}\n`, (error) => {
      if (error) return this.unprintable(res, delivery, error)
      try {
        this.answerPrinted(req, res, body, delivery)
      } catch (caught) {
        this.failed(res, caught as Error)
      }
    })
  }

  /** Its line is on its way to stdout: an empty 200, then saving and forwarding. */
  private answerPrinted(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    delivery: VerifiedDelivery,
  ): void {
    // 200 with no body (Node sends Content-Length: 0), the cheapest answer there is (~15% more events/s
    // than a JSON body under 32 senders); deliveries not printed (duplicate, filtered) say why in a body
    res.end()
    if (this.options.saveDir || this.forwarder) {
      const headers = deliveryHeaders(req.rawHeaders)
      if (this.options.saveDir)
        this.side(saveDelivery(this.options.saveDir, delivery.id, headers, body), delivery.id)
      this.forwarder?.push(delivery.id, headers, body)
    }
    const limit = this.options.count
    if (limit !== undefined && this.printed >= limit) this.finishedResolve(`${limit} events received`)
  }

  /** stdout went away: the delivery is not taken (Kick will send it again), and the listener stops. */
  private unprintable(res: ServerResponse, delivery: VerifiedDelivery, error: Error): void {
    this.recent.delete(delivery.id)
    this.printed--
    this.finishedResolve(`stdout closed (${error.message})`)
    reply(res, 503, { error: 'listener cannot print' })
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
 * Hands over the raw body bytes, or `too-large` as soon as it passes `limit` (from Content-Length, or
 * counted): what is left is drained unread so the client still gets its 413, and the connection is closed
 * after it. `aborted` when the client went away mid-body.
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer | 'too-large' | 'aborted') => void,
): void {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) {
    discard(req)
    return done('too-large')
  }
  const chunks: Buffer[] = []
  let size = 0
  let settled = false
  const settle = (body: Buffer | 'too-large' | 'aborted'): void => {
    if (settled) return
    settled = true
    done(body)
  }
  const onData = (chunk: Buffer): void => {
    size += chunk.length
    if (size > limit) {
      req.off('data', onData)
      chunks.length = 0
      discard(req)
      settle('too-large')
      return
    }
    chunks.push(chunk)
  }
  req.on('data', onData)
  req.on('end', () => settle(Buffer.concat(chunks)))
  req.on('error', () => settle('aborted'))
  // after `end` this changes nothing; before it, the client went away mid-body
  req.on('close', () => settle('aborted'))
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
