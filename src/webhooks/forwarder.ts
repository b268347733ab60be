import { failureReason, httpRequest } from '../kick/http.js'
import type { ForwardOutcome } from './event-line.js'

/** Headers that belong to one connection, not to the delivery: never copied to the local app or a file. */
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
])

/** A delivery's headers without those of the connection it came on (a saved file may hold them). */
export function withoutHopByHop(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())))
}

/** The request's headers with their original spelling (`rawHeaders`), minus the hop-by-hop ones. */
export function deliveryHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = rawHeaders[i + 1]!
  }
  return headers
}

export interface ForwarderOptions {
  /** requests to the local app at once */
  concurrency?: number
  /** deliveries waiting beyond this are not forwarded (a note says so): memory stays bounded */
  maxQueued?: number
  timeoutMs?: number
  /** a line on stderr about the queue (full, abandoned at stop) */
  report: (line: string) => void
  /** what the local app answered to one delivery, or why it could not */
  forwarded: (outcome: ForwardOutcome) => void
}

/**
 * Of the local app's answer only the status is used: this much of its body is read, and the rest is not (the
 * connection is dropped), so an app answering gigabytes costs a forward nothing.
 */
const ANSWER_EXCERPT_BYTES = 4 * 1024

interface Job {
  id: string
  headers: Record<string, string>
  body: Buffer
}

/**
 * `--forward-to`: POSTs each accepted delivery, original headers and exact body, to the local app, after the
 * listener has printed it and answered Kick. A slow or down app only ever delays this queue.
 */
export class Forwarder {
  private readonly queue: Job[] = []
  private readonly running = new Set<Promise<void>>()
  private readonly controllers = new Set<AbortController>()
  private readonly concurrency: number
  private readonly maxQueued: number
  private readonly timeoutMs: number

  constructor(
    private readonly url: string,
    private readonly options: ForwarderOptions,
  ) {
    this.concurrency = options.concurrency ?? 8
    this.maxQueued = options.maxQueued ?? 1000
    this.timeoutMs = options.timeoutMs ?? 10_000
  }

  push(id: string, headers: Record<string, string>, body: Buffer): void {
    if (this.queue.length >= this.maxQueued) {
      this.options.report(
        `forward ${id}: not sent, ${this.maxQueued} deliveries already wait for ${this.url}`,
      )
      return
    }
    this.queue.push({ id, headers, body })
    this.pump()
  }

  /** Waits for queued and running forwards, at most `graceMs`; whatever is left is abandoned with a note. */
  async drain(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs
    while ((this.running.size || this.queue.length) && Date.now() < deadline) {
      const timer = new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())
      await Promise.race([Promise.race(this.running), timer])
    }
    const left = this.queue.length + this.running.size
    if (left) this.options.report(`forward: gave up on ${left} deliveries still waiting for ${this.url}`)
    this.queue.length = 0
    for (const controller of this.controllers) controller.abort(new Error('stopped'))
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length) {
      const job = this.queue.shift()!
      const run = this.send(job).finally(() => {
        this.running.delete(run)
        this.pump()
      })
      this.running.add(run)
    }
  }

  private async send(job: Job): Promise<void> {
    const controller = new AbortController()
    this.controllers.add(controller)
    const started = performance.now()
    const outcome = { id: job.id, url: this.url }
    try {
      const response = await httpRequest(this.url, {
        method: 'POST',
        headers: job.headers,
        body: job.body,
        timeoutMs: this.timeoutMs,
        signal: controller.signal,
        excerptBytes: ANSWER_EXCERPT_BYTES,
      })
      const ms = performance.now() - started
      this.options.forwarded({ ...outcome, status: response.status, statusText: response.statusText, ms })
    } catch (error) {
      this.options.forwarded({ ...outcome, error: failureReason(error), ms: performance.now() - started })
    } finally {
      this.controllers.delete(controller)
    }
  }
}
