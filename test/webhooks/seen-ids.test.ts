import { describe, expect, it } from 'vitest'

import { SEEN_IDS_CAPACITY, SeenIds } from '../../src/webhooks/seen-ids.js'

const T0 = Date.parse('2026-11-25T12:00:00Z')
const MINUTE = 60_000

describe('SeenIds', () => {
  it('holds every id for the whole window, however many come in between', () => {
    const partial: number[] = []
    const seen = new SeenIds(10 * MINUTE, 50_000, (held) => partial.push(held))
    seen.add('first', T0, T0)
    for (let i = 0; i < 40_000; i++) seen.add(`id-${i}`, T0 + i, T0 + i)
    expect(seen.has('first')).toBe(true)
    expect(seen.has('id-0')).toBe(true)
    expect(seen.count).toBe(40_001)
    expect(partial).toEqual([])
  })

  it('forgets an id once the window has passed both its arrival and its timestamp', () => {
    const seen = new SeenIds(10 * MINUTE, 1000, () => {})
    seen.add('now', T0, T0)
    // signed by a clock two minutes ahead: a retry would be fresh until its timestamp is 10 minutes old
    seen.add('ahead', T0, T0 + 2 * MINUTE)
    seen.add('tick', T0 + 10 * MINUTE + 1, T0 + 10 * MINUTE + 1)
    expect(seen.has('now')).toBe(false)
    expect(seen.has('ahead')).toBe(true)
    seen.add('tock', T0 + 12 * MINUTE + 1, T0 + 12 * MINUTE + 1)
    expect(seen.has('ahead')).toBe(false)
    expect(seen.has('tick')).toBe(true)
    expect(seen.count).toBe(2)
  })

  it('past its capacity inside the window, forgets the oldest first and says once that dedupe is partial', () => {
    const partial: number[] = []
    const seen = new SeenIds(10 * MINUTE, 1000, (held) => partial.push(held))
    for (let i = 0; i < 2500; i++) seen.add(`id-${i}`, T0 + i, T0 + i)
    expect(seen.count).toBe(1000)
    expect(seen.has('id-1499')).toBe(false)
    expect(seen.has('id-1500')).toBe(true)
    expect(seen.has('id-2499')).toBe(true)
    expect(partial).toEqual([1000])
  })

  it('without a window (--max-age 0) holds the last `capacity` ids, with nothing to warn about', () => {
    const partial: number[] = []
    const seen = new SeenIds(0, 1000, (held) => partial.push(held))
    // days apart: without a window nothing expires
    for (let i = 0; i < 1500; i++) seen.add(`id-${i}`, T0 + i * 86_400_000, T0)
    expect(seen.count).toBe(1000)
    expect(seen.has('id-499')).toBe(false)
    expect(seen.has('id-500')).toBe(true)
    expect(partial).toEqual([])
  })

  it('an id forgotten on purpose and taken again is not dropped by its older entry', () => {
    for (const windowMs of [10 * MINUTE, 0]) {
      const seen = new SeenIds(windowMs, 3, () => {})
      seen.add('a', T0, T0)
      seen.delete('a')
      expect(seen.has('a')).toBe(false)
      seen.add('a', T0 + 1, T0 + 1)
      seen.add('b', T0 + 2, T0 + 2)
      // the ring is full: the next one pushes out the first entry of `a`, not the second
      seen.add('c', T0 + 3, T0 + 3)
      expect(seen.has('a'), String(windowMs)).toBe(true)
    }
  })

  it('holds a million ids, the stated bound', () => {
    expect(SEEN_IDS_CAPACITY).toBe(1_000_000)
    const seen = new SeenIds(0, SEEN_IDS_CAPACITY, () => {})
    for (let i = 0; i < SEEN_IDS_CAPACITY + 10; i++) seen.add(String(i), T0, T0)
    expect(seen.count).toBe(SEEN_IDS_CAPACITY)
    expect(seen.has('9')).toBe(false)
    expect(seen.has('10')).toBe(true)
  })
})
