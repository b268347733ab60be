/**
 * `--rate-limit N`: at most N requests in any window (a minute by default), then 429 (with no `Retry-After`,
 * as Kick: `take` still says when the oldest request in the window leaves it). One budget for the whole mock,
 * as a client sees from one app.
 */
export class RateLimiter {
  private readonly times: number[] = []

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts a request; undefined when it may go on, else the seconds to wait. */
  take(now = Date.now()): number | undefined {
    while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift()
    if (this.times.length < this.limit) {
      this.times.push(now)
      return undefined
    }
    return Math.max(1, Math.ceil((this.times[0]! + this.windowMs - now) / 1000))
  }
}
