import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { EVENT_TYPES } from '../kick/events.js'
import { redactSecrets } from '../output/redact.js'
import { clip } from '../output/sanitize.js'
import { capConnections, MAX_CONNECTIONS } from './connection-cap.js'
import { eventJsonLine, eventRecord, type ListenDisplay } from './event-line.js'
import { FoldedLog } from './folded-log.js'
import { deliveryHeaders, Forwarder } from './forwarder.js'
import { LineWriter } from './line-writer.js'
import type { PublicKeys } from './public-key.js'
import { saveDelivery } from './saved-delivery.js'
import { SEEN_IDS_CAPACITY, SeenIds } from './seen-ids.js'
import { DROPS_EVENT_TYPE, type VerifiedDelivery, type Verification, type VerifyOptions } from './verify.js'

/** Kick's payloads are a few kB; anything over this is not a delivery (413, read no further). */
export const MAX_BODY_BYTES = 1024 * 1024
/** A sender that has not sent a whole request head by then is hung up on (408), as is one whose body takes longer. */
const HEADERS_TIMEOUT_MS = 10_000
const REQUEST_TIMEOUT_MS = 30_000
/** An idle keep-alive connection is closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000
/** After a 413, what still comes is read into nothing for this long (or this much) before hanging up. */
const LINGER_MS = 2_000
const LINGER_BYTES = 16 * MAX_BODY_BYTES
/** Types Kick has documented; any other is printed as received, with a note the first time. */
const KNOWN_TYPES = new Set<string>([...EVENT_TYPES, DROPS_EVENT_TYPE])
/**
 * How long a stop waits for in-flight requests and stdout (a reader that does not read), and for forwards,
 * before giving up on them: deliveries whose line has not been written by then are answered 503.
 */
export const STOP_GRACE_MS = 5_000
/** Given to each line a stop gave up on; how its delivery knows it was not printed because of the stop. */
const STDOUT_STALLED = new Error(`stdout did not drain within ${STOP_GRACE_MS / 1000} s`)
/**
 * How much of what a request chose a log line repeats: its URL, and a message id or type (ids over 128 bytes
 * are refused; the type header is unsigned, up to Node's 16 KiB of headers).
 */
const SHOWN_URL_CHARS = 200
const SHOWN_ID_CHARS = 128
/** The repeats waiting on a delivery that had none (one shared empty list: no allocation per delivery). */
const NO_REPEATS: readonly ServerResponse[] = []

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
  /**
   * `--jq`: what an event prints instead, from its JSON line (each result ending in a newline; '' for none).
   * Throws when the filter fails on that event.
   */
  filter?: (jsonLine: string) => string
  out: NodeJS.WriteStream
  /** one line on stderr */
  log: (line: string) => void
  /** event lines for a terminal, rejection and forward lines on stderr */
  display: ListenDisplay
  forwardTo?: string
  saveDir?: string
}

/** What went wrong for deliveries during a run: each was answered 5xx (Kick sends it again), none printed. */
export interface ListenerTrouble {
  /** why stdout could not be written (the reader went away, or a write failed) */
  stdout?: Error
  /** deliveries answered 500 because `--save` could not write them */
  unsaved: number
  /** deliveries answered 503 because a stop gave up on a stdout that did not drain */
  abandoned: number
}

/**
 * The `kick listen` server: every POST to `path` is verified (signature, replay window), deduplicated by
 * message id, saved (`--save`), printed on stdout and answered 200 only once its line has been written;
 * then forwarded. What cannot be saved is answered 500 and what cannot be printed 503, so Kick sends it
 * again; rejections are answered 400/401/413 and logged on stderr.
 */
export class WebhookListener {
  readonly writer: LineWriter
  private server?: Server
  private readonly recent: SeenIds
  /** event types outside Kick's documented ones that have been noted on stderr */
  private readonly newTypes = new Set<string>()
  /** requests whose answer has not left yet; stop() waits for none to be left */
  private inFlight = 0
  private onIdle?: () => void
  /** deliveries claimed but not answered yet, and the repeats of each that came meanwhile: they share its fate */
  private readonly pending = new Map<string, readonly ServerResponse[]>()
  private readonly forwarder?: Forwarder
  private keys?: PublicKeys
  private printed = 0
  private readonly trouble: ListenerTrouble = { unsaved: 0, abandoned: 0 }
  private stopping = false
  private finishedResolve!: (reason: string) => void
  /** resolves with why the listener should stop on its own: `--count` reached, or stdout went away */
  readonly finished: Promise<string>

  private readonly verifyOptions: VerifyOptions
  private readonly rejections: FoldedLog
  private readonly duplicates: FoldedLog

  constructor(private readonly options: ListenerOptions) {
    this.verifyOptions = { maxAgeMs: options.maxAgeMs }
    this.rejections = new FoldedLog((line) => options.display.rejected(line), 'rejected requests')
    this.duplicates = new FoldedLog(options.log, 'duplicates')
    this.recent = new SeenIds(options.maxAgeMs, SEEN_IDS_CAPACITY, (held) =>
      options.log(
        `more than ${held.toLocaleString('en')} message ids inside the replay window: the oldest are forgotten first, so deduplication is partial from now on`,
      ),
    )
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

  get troubles(): Readonly<ListenerTrouble> {
    return this.trouble
  }

  /** Starts listening; answers the local URL (with the path). */
  async start(): Promise<string> {
    const server = createServer(
      // checked every second, not Node's default 30, so the timeouts hold to about a second
      {
        headersTimeout: HEADERS_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => this.handle(req, res),
    )
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
    capConnections(server, MAX_CONNECTIONS, this.options.log)
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
   * Stops accepting, lets in-flight requests finish (their events saved and printed) and stdout drain, and
   * gives forwards a grace period. A stdout that has not taken every line within the grace (a reader that
   * does not read) is given up on: the deliveries still waiting for it are answered 503, not 200.
   */
  async stop(): Promise<void> {
    if (this.stopping && !this.server) return
    this.stopping = true
    const deadline = Date.now() + STOP_GRACE_MS
    const server = this.server
    this.server = undefined
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await this.idle(deadline - Date.now())
      if (this.inFlight) {
        this.writer.abandon(STDOUT_STALLED)
        // their 503s on their way before the connections close (a reset would tell the sender nothing)
        await this.idle(1_000)
      }
      server.closeAllConnections()
      await closed
    }
    this.rejections.flush()
    this.duplicates.flush()
    await Promise.all([
      this.forwarder?.drain(STOP_GRACE_MS),
      withDeadline(this.writer.flush(), Math.max(0, deadline - Date.now())),
    ])
  }

  /** Resolves once no request is in flight, or after `ms`. */
  private async idle(ms: number): Promise<void> {
    if (!this.inFlight) return
    await withDeadline(new Promise<void>((resolve) => (this.onIdle = resolve)), Math.max(0, ms))
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
    if (this.stopping || !this.keys || this.writer.failed) {
      res.setHeader('connection', 'close')
      return reply(res, 503, { error: this.writer.failed ? 'listener cannot print' : 'listener is stopping' })
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
    const url = clip(req.url ?? '', SHOWN_URL_CHARS)
    this.rejections.line(
      `rejected ${status} ${req.method} ${url} from ${from}${id ? ` (${clip(id, SHOWN_ID_CHARS)})` : ''}: ${reason}`,
    )
    reply(res, status, { error: reason })
  }

  /** Verifies (synchronously, unless Kick's key has to be fetched again), then accepts. */
  private verifyAndAccept(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const receivedAt = new Date()
    const checked = this.keys!.verify(req.headers, body, this.verifyOptions, req.rawHeaders)
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
    const repeats = this.pending.get(delivery.id)
    if (repeats) {
      // the first of this id is still being saved or printed: this one is answered as that one is
      this.pending.set(delivery.id, [...repeats, res])
      return
    }
    if (this.recent.has(delivery.id)) {
      this.duplicated(delivery)
      return reply(res, 200, { duplicate: delivery.id })
    }
    // --events names documented types only: a delivery without a type is not among them
    if (this.options.events && (delivery.type === null || !this.options.events.has(delivery.type))) {
      this.recent.add(delivery.id, receivedAt.getTime(), delivery.timestampMs)
      return reply(res, 200, { ignored: delivery.id })
    }
    const limit = this.options.count
    if (limit !== undefined && this.printed >= limit) {
      res.setHeader('connection', 'close')
      return reply(res, 503, { error: 'listener is stopping' })
    }

    const type = delivery.type
    if (type !== null && !KNOWN_TYPES.has(type) && !this.newTypes.has(type)) {
      this.newTypes.add(type)
      this.options.log(
        `new event type ${clip(type, SHOWN_ID_CHARS)}: printed as received (not one of the ${EVENT_TYPES.length} Kick documents)`,
      )
    }
    const text = this.eventText(delivery, receivedAt)
    // Claim the id and the count slot before saving and printing, so concurrent duplicates print once.
    this.recent.add(delivery.id, receivedAt.getTime(), delivery.timestampMs)
    this.printed++
    this.pending.set(delivery.id, NO_REPEATS)
    const saveDir = this.options.saveDir
    if (saveDir === undefined) return this.print(req, res, body, delivery, text)
    const headers = deliveryHeaders(req.rawHeaders)
    saveDelivery(saveDir, delivery.id, headers, body, receivedAt).then(
      () => this.print(req, res, body, delivery, text, headers),
      (error: Error) => {
        this.trouble.unsaved++
        this.options.log(
          `not saved ${delivery.id} (${clip(String(delivery.type), SHOWN_ID_CHARS)}) to ${saveDir}: ${error.message}: answered 500, not printed`,
        )
        this.notTaken(res, delivery, 500, 'listener cannot save')
      },
    )
  }

  /** What an accepted event prints: its JSON line, its terminal line, or what `--jq` makes of the JSON line. */
  private eventText(delivery: VerifiedDelivery, receivedAt: Date): string {
    const filter = this.options.filter
    if (!filter) {
      const line = this.options.json
        ? redactSecrets(eventJsonLine(delivery, receivedAt))
        : this.options.display.eventLine(eventRecord(delivery, receivedAt))
      return `${line}\n`
    }
    try {
      return redactSecrets(filter(eventJsonLine(delivery, receivedAt)))
    } catch (error) {
      // the delivery is good and Kick sending it again would fail the same way: answered 200, said here
      this.options.log(`${(error as Error).message} (event ${delivery.id}): nothing printed`)
      return ''
    }
  }

  /** Saved when asked to: its line to stdout, and the answer once that line has been written. */
  private print(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    delivery: VerifiedDelivery,
    line: string,
    headers?: Record<string, string>,
  ): void {
    this.writer.write(line, (error) => {
      if (error) return this.unprintable(res, delivery, error)
      try {
        this.answerPrinted(req, res, body, delivery, headers)
      } catch (caught) {
        this.failed(res, caught as Error)
      }
    })
  }

  /** Its line has been written to stdout: an empty 200 (and to its repeats), then forwarding. */
  private answerPrinted(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    delivery: VerifiedDelivery,
    headers?: Record<string, string>,
  ): void {
    // 200 with no body (Node sends Content-Length: 0), the cheapest answer there is (~15% more events/s
    // than a JSON body under 32 senders); deliveries not printed (duplicate, filtered) say why in a body
    res.end()
    const repeats = this.pending.get(delivery.id)!
    this.pending.delete(delivery.id)
    for (const repeat of repeats) {
      this.duplicated(delivery)
      reply(repeat, 200, { duplicate: delivery.id })
    }
    this.forwarder?.push(delivery.id, headers ?? deliveryHeaders(req.rawHeaders), body)
    const limit = this.options.count
    if (limit !== undefined && this.printed >= limit) this.finishedResolve(`${limit} events received`)
  }

  /** A replay of a captured delivery is signed: a flood of them is folded like rejections. */
  private duplicated(delivery: VerifiedDelivery): void {
    const type = clip(String(delivery.type), SHOWN_ID_CHARS)
    this.duplicates.line(`duplicate ${delivery.id} (${type}): answered 200, not printed again`)
  }

  /** Not written to stdout: the reader went away, or a stop gave up on it. */
  private unprintable(res: ServerResponse, delivery: VerifiedDelivery, error: Error): void {
    if (error === STDOUT_STALLED) this.trouble.abandoned++
    else {
      this.trouble.stdout ??= error
      this.finishedResolve(`stdout closed (${error.message})`)
    }
    this.notTaken(res, delivery, 503, 'listener cannot print')
  }

  /** The delivery is not taken, nor its repeats: Kick will send it again, and then it is new. */
  private notTaken(res: ServerResponse, delivery: VerifiedDelivery, status: number, error: string): void {
    this.recent.delete(delivery.id)
    this.printed--
    const repeats = this.pending.get(delivery.id) ?? NO_REPEATS
    this.pending.delete(delivery.id)
    for (const answer of [res, ...repeats]) reply(answer, status, { error })
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, string>): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Hands over the raw body bytes, or `too-large` as soon as it passes `limit` (from Content-Length before
 * reading any, else counted as it streams): the rest is not read on, and the connection is closed after the
 * 413 (see {@link discard}). `aborted` when the client went away mid-body.
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

/**
 * After a 413 the sender may still be writing its body, and closing a socket with unread bytes in it resets
 * the connection: a sender busy writing then often sees that reset (EPIPE) and never the 413. So once the
 * answer is written only this side is closed, and what still comes is read into nothing until the sender
 * hangs up, for at most LINGER_MS and LINGER_BYTES. Node would destroy the socket as soon as an answer with
 * `Connection: close` is written, through its `destroySoon`: replaced, for this socket only.
 */
function discard(req: IncomingMessage): void {
  const socket = req.socket
  let dropped = 0
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > LINGER_BYTES) socket.destroy()
  })
  req.resume()
  socket.destroySoon = () => {
    socket.end()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref()
    socket.once('close', () => clearTimeout(timer))
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    work,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ])
}
