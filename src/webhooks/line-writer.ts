import type { Writable } from 'node:stream'

interface Pending {
  line: string
  resolve: () => void
  reject: (error: Error) => void
}

/**
 * Lines to stdout in the order they were accepted, honouring backpressure: `write` resolves once its line is
 * handed to the stream, and while the stream asks to drain, later lines wait in order (their senders wait
 * for their 200 too, which slows acceptance instead of dropping anything). When the stream breaks (the
 * reader went away), every waiting and later write rejects.
 */
export class LineWriter {
  private readonly queue: Pending[] = []
  private blocked = false
  private broken?: Error

  constructor(private readonly out: Writable) {
    out.on('error', (error: Error) => this.fail(error))
  }

  get failed(): Error | undefined {
    return this.broken
  }

  /**
   * Hands a line to the stream: at once when nothing waits (undefined: done, no promise to await on the hot
   * path), else a promise that settles when its turn comes.
   */
  write(line: string): Promise<void> | undefined {
    if (this.broken) return Promise.reject(this.broken)
    if (!this.blocked && this.queue.length === 0) {
      if (!this.out.write(line)) this.block()
      return undefined
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject })
      this.pump()
    })
  }

  /** Resolves when every line written so far has left the process (or the stream broke). */
  async flush(): Promise<void> {
    while ((this.queue.length || this.blocked) && !this.broken) {
      await new Promise<void>((resolve) => this.out.once('drain', resolve).once('error', () => resolve()))
    }
    if (this.broken || this.out.writableLength === 0) return
    await new Promise<void>((resolve) => this.out.write('', () => resolve()))
  }

  private pump(): void {
    while (!this.blocked && !this.broken && this.queue.length) {
      const next = this.queue.shift()!
      const more = this.out.write(next.line)
      next.resolve()
      if (!more) this.block()
    }
  }

  private block(): void {
    this.blocked = true
    this.out.once('drain', () => {
      this.blocked = false
      this.pump()
    })
  }

  private fail(error: Error): void {
    this.broken ??= error
    for (const pending of this.queue.splice(0)) pending.reject(this.broken)
  }
}
