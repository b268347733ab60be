import { once } from 'node:events'
import type { Writable } from 'node:stream'

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
  for await (const items of pages) {
    // '[' only once the first page is in: when Kick fails at once, stdout stays empty rather than a lone '['.
    if (!opened) {
      opened = true
      await write(out, '[')
    }
    for (const item of items) {
      await write(out, `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(item)}`)
      count++
    }
  }
  await write(out, `${opened ? '' : '['}${count === 0 ? ']' : '\n]'}\n`)
  return count
}

export async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain')
}
