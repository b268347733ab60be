/**
 * The memory `kick listen`'s deduplication takes when full: 1,000,000 message ids in SeenIds, each a string of
 * LENGTH characters made as the HTTP parser makes header values (flat, one byte a character). Run by
 * bench/run.ts as `node --expose-gc --import tsx bench/seen-ids-memory.ts LENGTH`; prints one JSON line:
 * the heap held after a full GC, and how far the process's peak RSS rose, in MiB.
 */
import { randomFillSync } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { SEEN_IDS_CAPACITY, SeenIds } from '../src/webhooks/seen-ids.js'

const length = Number(process.argv[2])
const gc = (globalThis as { gc?: () => void }).gc
if (!gc || !(length > 0))
  throw new Error('usage: node --expose-gc --import tsx bench/seen-ids-memory.ts LENGTH')

const peakMiB = (): number =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024
const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20

// Crockford base 32, as in a ULID
const ALPHABET = Buffer.from('0123456789ABCDEFGHJKMNPQRSTVWXYZ')
const pool = Buffer.alloc(1 << 20)
const idBytes = Buffer.alloc(length)
let offset = pool.length
const nextId = (): string => {
  for (let i = 0; i < length; i++) {
    if (offset === pool.length) {
      randomFillSync(pool)
      offset = 0
    }
    idBytes[i] = ALPHABET[pool[offset++]! & 31]!
  }
  return idBytes.toString('latin1')
}

gc()
const heapBefore = heapMiB()
const peakBefore = peakMiB()
const seen = new SeenIds(0, SEEN_IDS_CAPACITY, () => undefined)
const now = Date.now()
for (let i = 0; i < SEEN_IDS_CAPACITY; i++) seen.add(nextId(), now, now)
gc()
console.log(
  JSON.stringify({
    ids: seen.count,
    heapMiB: heapMiB() - heapBefore,
    peakRssMiB: peakMiB() - peakBefore,
  }),
)
