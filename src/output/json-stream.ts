import { once } from 'node:events'
import type { Writable } from 'node:stream'

import { redactSecrets } from './redact.js'

/**
 * Writes one JSON array item by item, so `--paginate --json` over any number of pages holds only one page
 * in memory; waits for `drain` when the reader is slower than Kick.
 */
export async function writeJsonArray(
  out: Writable,
  pages: AsyncIterable<readonly unknown[]>,
): Promise<number> {
  let count = 0
  let opened = false
  let collectYoung: (() => void) | undefined
  for await (const items of pages) {
    // '[' only once the first page is in: when Kick fails at once, stdout stays empty rather than a lone '['.
    if (!opened) {
      opened = true
      await write(out, '[')
    }
    // One write per page, not per item: a write (and its await) per item allocated ~2 kB per item, which kept
    // V8 collecting its young generation so often that it grew it to the maximum (32 MiB) over a long walk.
    let text = ''
    for (const item of items) text += `${count++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(item)}`
    if (text) await write(out, text)
    collectYoung ??= await youngGenerationCollector()
    collectYoung()
  }
  await write(out, `${opened ? '' : '['}${count === 0 ? ']' : '\n]'}\n`)
  return count
}

/** Writes JSON (or a raw body) to stdout, kick's secrets redacted (see redactSecrets). */
export async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(redactSecrets(text))) await once(out, 'drain')
}

/**
 * A minor GC, run between pages, when the page just written is garbage: why `--paginate` stays flat.
 * V8 grows its young generation (up to 16 MiB a semi-space, 32 MiB resident) whenever objects keep surviving
 * its scavenges, and a scavenge that comes in the middle of a page finds the whole page alive: over a long
 * walk the young generation grew to its maximum (RSS +30 MiB at 1,000,000 items, with nothing retained).
 * Collected here, it starts each page empty, nothing survives, and it never grows (growth is also pinned,
 * for V8 versions that size it by throughput). The flags only touch this process, which ends with the walk.
 */
async function youngGenerationCollector(): Promise<() => void> {
  const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([
    import('node:v8'),
    import('node:vm'),
  ])
  setFlagsFromString('--expose-gc')
  setFlagsFromString('--semi-space-growth-factor=1')
  // --expose-gc puts gc() on contexts made after it is set
  const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void
  return () => gc({ type: 'minor' })
}
