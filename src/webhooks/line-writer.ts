import type { Writable } from 'node:stream'

/** Told once a line has been handed to the stream, or with the error that broke the stream. */
export type Written = (error?: Error) => void

/**
 * Lines to stdout in the order they were accepted, honouring backpressure. Lines queued in one turn of the
 * event loop leave together in one write (one system call where there were as many as lines: under 32
 * concurrent senders that is most of what `kick listen` spends beyond verifying); each is told `written`
 * once its write has been handed to the stream, and only then may its sender be answered. While the stream
 * asks to drain, later lines wait in order (their senders wait for their 200 too, which slows acceptance
 * instead of dropping anything). When the stream breaks (the reader went away), every waiting and later
 * line is told the error.
 */
export class LineWriter {
  private lines: string[] = []
  private written: Written[] = []
  private scheduled = false
  private blocked = false
  private broken?: Error

  constructor(private readonly out: Writable) {
    out.on('error', (error: Error) => this.fail(error))
  }

  get failed(): Error | undefined {
    return this.broken
  }

  /** Queues a line (ending in a newline) for the next write. */
  write(line: string, written: Written): void {
    if (this.broken) return written(this.broken)
    this.lines.push(line)
    this.written.push(written)
    if (!this.scheduled && !this.blocked) {
      this.scheduled = true
      setImmediate(this.writeQueued)
    }
  }

  /** Resolves when every line queued so far has left the process (or the stream broke). */
  async flush(): Promise<void> {
    this.writeQueued()
    while ((this.lines.length || this.blocked) && !this.broken) {
      await new Promise<void>((resolve) => this.out.once('drain', resolve).once('error', () => resolve()))
    }
    if (this.broken || this.out.writableLength === 0) return
    await new Promise<void>((resolve) => this.out.write('', () => resolve()))
  }

  private readonly writeQueued = (): void => {
    this.scheduled = false
    if (this.blocked || this.broken || this.lines.length === 0) return
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('')
    const written = this.written
    this.lines = []
    this.written = []
    const more = this.out.write(text)
    for (const tell of written) tell()
    if (!more) this.block()
  }

  private block(): void {
    this.blocked = true
    this.out.once('drain', () => {
      this.blocked = false
      this.writeQueued()
    })
  }

  private fail(error: Error): void {
    this.broken ??= error
    const written = this.written
    this.lines = []
    this.written = []
    for (const tell of written) tell(this.broken)
  }
}
