/**
 * Lines that a flood of requests would repeat (rejections, duplicates), folded: in any second the first
 * `burst` are written whole, the rest only counted, and at the end of that second one line says how many more
 * there were and shows the latest. A person trying things sees each of theirs; a flood (through a tunnel
 * anyone can send one) grows stderr by a few lines a second, not by a line a request.
 */
export class FoldedLog {
  private written = 0
  private folded = 0
  private latest = ''
  private timer?: NodeJS.Timeout

  constructor(
    private readonly write: (line: string) => void,
    /** what the count is of, e.g. `rejected requests` */
    private readonly what: string,
    private readonly burst = 10,
    private readonly intervalMs = 1_000,
  ) {}

  line(text: string): void {
    this.timer ??= setTimeout(this.tick, this.intervalMs).unref()
    if (this.written < this.burst) {
      this.written++
      this.write(text)
      return
    }
    this.folded++
    this.latest = text
  }

  /** Writes the count of what was folded and not yet told (at stop: nothing is left unsaid). */
  flush(): void {
    clearTimeout(this.timer)
    this.tick()
  }

  private readonly tick = (): void => {
    this.timer = undefined
    this.written = 0
    if (!this.folded) return
    const count = this.folded.toLocaleString('en')
    this.write(`${count} more ${this.what} within a second, not shown; the latest: ${this.latest}`)
    this.folded = 0
    this.latest = ''
  }
}
