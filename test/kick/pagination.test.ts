import { describe, expect, it } from 'vitest'

import { followCursor, type Page } from '../../src/kick/pagination.js'

/** A fake paged source: answers `pages[cursor]`, records the cursors it was asked for. */
function source(pages: Record<string, Page<number>>) {
  const asked: (string | undefined)[] = []
  const fetchPage = async (cursor: string | undefined) => {
    asked.push(cursor)
    return pages[cursor ?? 'start']
  }
  return { asked, fetchPage }
}

async function collect<T>(walk: AsyncGenerator<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const items of walk) out.push(items)
  return out
}

describe('followCursor', () => {
  it('follows each next cursor until a page has none', async () => {
    const { asked, fetchPage } = source({
      start: { items: [1, 2], cursor: 'b' },
      b: { items: [3], cursor: 'c' },
      c: { items: [4] },
    })
    expect(await collect(followCursor(fetchPage))).toEqual([[1, 2], [3], [4]])
    expect(asked).toEqual([undefined, 'b', 'c'])
  })

  it('stops at a cursor it has seen before, so a looping server cannot make it run forever', async () => {
    const { asked, fetchPage } = source({
      start: { items: [1], cursor: 'a' },
      a: { items: [2], cursor: 'a' },
    })
    expect(await collect(followCursor(fetchPage))).toEqual([[1], [2]])
    expect(asked).toEqual([undefined, 'a'])
  })

  it('stops at an empty page even when it carries a cursor', async () => {
    const { asked, fetchPage } = source({ start: { items: [1], cursor: 'a' }, a: { items: [], cursor: 'b' } })
    expect(await collect(followCursor(fetchPage))).toEqual([[1], []])
    expect(asked).toEqual([undefined, 'a'])
  })

  it('fetches one page without follow and reports the next cursor', async () => {
    const { asked, fetchPage } = source({ start: { items: [1], cursor: 'next' } })
    const more: string[] = []
    expect(await collect(followCursor(fetchPage, false, (cursor) => more.push(cursor)))).toEqual([[1]])
    expect(asked).toEqual([undefined])
    expect(more).toEqual(['next'])
  })

  it('ends the walk when fetchPage answers undefined', async () => {
    const { fetchPage } = source({ start: { items: [1], cursor: 'gone' } })
    expect(await collect(followCursor(fetchPage))).toEqual([[1]])
  })
})
