import type { Writable } from 'node:stream'

/** Told once a line has left the process, or with the error that kept it from leaving. */
export type Written = (error?: Error) => void

/**
 * Lines to stdout in the order they were accepted, honouring backpressure. Lines queued in one turn of the
 * event loop leave together in one write (one system call where there were as many as lines: under 32
 * concurrent senders that is most of what `kick listen` spends beyond verifying); each is told `written`
 * once that write has completed (the stream's callback: the text is out of the process, not just buffered
 * in it), and only then may its sender be answered. While the stream asks to drain, later lines wait in
 * order (their senders wait for their 200 too, which slows acceptance instead of dropping anything). When
 * the stream breaks (the reader went away), or a stop gives up on a reader that does not read (`abandon`),
 * every line not yet written is told the error, and so is every later one.
 */
export class LineWriter {
  private lines: string[] = []
  private waiting: Written[] = []
  /** the lines of writes handed to the stream whose callback has not come yet, oldest first */
  private unconfirmed: Written[][] = []
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
    this.waiting.push(written)
    if (!this.scheduled && !this.blocked) {
      this.scheduled = true
      setImmediate(this.writeQueued)
    }
  }

  /** Resolves when every line queued so far has been written, or told why not. */
  flush(): Promise<void> {
    if (this.broken || (!this.lines.length && !this.unconfirmed.length)) return Promise.resolve()
    // writes complete in order: an empty line's completion means every earlier one's
    return new Promise((resolve) => {
      this.write('', () => resolve())
      this.writeQueued()
    })
  }

  /**
   * Gives up on every line not yet written, telling each `error`, and writes nothing more: for a stop whose
   * reader has not read within the grace period.
   */
  abandon(error: Error): void {
    this.fail(error)
  }

  private readonly writeQueued = (): void => {
    this.scheduled = false
    if (this.blocked || this.broken || this.lines.length === 0) return
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('')
    const batch = this.waiting
    this.lines = []
    this.waiting = []
    this.unconfirmed.push(batch)
    if (!this.out.write(text, (error) => this.confirm(batch, error))) this.block()
  }

  private confirm(batch: Written[], error: Error | null | undefined): void {
    if (error) return this.fail(error)
    // told already when the stream broke or the lines were abandoned
    if (this.unconfirmed[0] !== batch) return
    this.unconfirmed.shift()
    for (const tell of batch) tell()
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
    this.tellAll(this.broken)
  }

  private tellAll(error: Error): void {
    const batches = [...this.unconfirmed, this.waiting]
    this.lines = []
    this.waiting = []
    this.unconfirmed = []
    for (const batch of batches) for (const tell of batch) tell(error)
  }
}
