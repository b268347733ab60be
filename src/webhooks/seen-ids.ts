/**
 * How many message ids dedupe holds at most, far more than Kick sends in a window: measured by `npm run bench`
 * at ~140 MB of peak RSS with Kick's 26-character ids, ~220 MB with ids at the 128-byte limit (the README's figures).
 */
export const SEEN_IDS_CAPACITY = 1_000_000

/**
 * The message ids accepted lately, for dedupe. With a replay window, an id is held until the window has
 * passed both its arrival and its timestamp: by then a retry of it is refused as a replay, so it can be
 * forgotten. Without one (`--max-age 0`), the last `capacity` ids are held. Either way at most `capacity`:
 * past that the oldest go first, and with a window that makes dedupe partial, which `onPartial` is told once.
 *
 * A ring of (id, expiry) in arrival order beside a Map from id to its expiry: adding, looking up and
 * forgetting are O(1), with no scan and no iterator (a Map iterated from its front after many deletions
 * walks every deleted slot first).
 */
export class SeenIds {
  private readonly expiries = new Map<string, number>()
  private ids: (string | undefined)[] = new Array<string | undefined>(1024)
  private until = new Float64Array(1024)
  private head = 0
  private size = 0
  private partial = false
  /** without a window, what tells a re-added id's ring entry from its older one */
  private added = 0
  /** expiries are kept relative to this, small enough to stay unboxed in the Map for 12 days */
  private readonly base = Date.now()

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
    private readonly onPartial: (held: number) => void,
  ) {}

  get count(): number {
    return this.expiries.size
  }

  has(id: string): boolean {
    return this.expiries.has(id)
  }

  /** Remembers `id`, arrived at `now` with a timestamp of `timestampMs`. */
  add(id: string, now: number, timestampMs: number): void {
    const expiry = this.windowMs ? Math.max(now, timestampMs) + this.windowMs - this.base : ++this.added
    if (this.windowMs) this.forgetExpired(now - this.base)
    if (this.size === this.capacity) {
      if (this.windowMs && !this.partial && this.until[this.head]! > now - this.base) {
        this.partial = true
        this.onPartial(this.capacity)
      }
      this.forgetOldest()
    } else if (this.size === this.ids.length) this.grow()
    let slot = this.head + this.size
    if (slot >= this.ids.length) slot -= this.ids.length
    this.ids[slot] = id
    this.until[slot] = expiry
    this.size++
    this.expiries.set(id, expiry)
  }

  /** Forgets `id` now (a delivery that was not taken after all, so that its retry is). */
  delete(id: string): void {
    this.expiries.delete(id)
  }

  private forgetExpired(now: number): void {
    // expiries are in arrival order but for timestamps ahead of the clock: one of those only holds the ids
    // behind it a little longer, never forgets one early
    while (this.size && this.until[this.head]! <= now) this.forgetOldest()
  }

  private forgetOldest(): void {
    const id = this.ids[this.head]!
    // a forgotten and re-added id has a newer ring entry; this older one must not drop it
    if (this.expiries.get(id) === this.until[this.head]) this.expiries.delete(id)
    this.ids[this.head] = undefined
    this.head = this.head + 1 === this.ids.length ? 0 : this.head + 1
    this.size--
  }

  private grow(): void {
    const length = Math.min(this.ids.length * 2, this.capacity)
    const ids = new Array<string | undefined>(length)
    const until = new Float64Array(length)
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) % this.ids.length
      ids[i] = this.ids[from]
      until[i] = this.until[from]!
    }
    this.ids = ids
    this.until = until
    this.head = 0
  }
}
