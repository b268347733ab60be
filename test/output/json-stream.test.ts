import { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'

import { describe, expect, it } from 'vitest'

import { writeJsonArray } from '../../src/output/json-stream.js'

/**
 * A reader slower than the writer: a tiny buffer, each chunk taken on a later turn of the event loop. `text()`
 * ends the stream and answers everything it took.
 */
function slowWritable(): Writable & { text: () => Promise<string> } {
  const chunks: string[] = []
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'))
      setImmediate(callback)
    },
  })
  const text = async () => {
    stream.end()
    await finished(stream)
    return chunks.join('')
  }
  return Object.assign(stream, { text })
}

describe('writeJsonArray', () => {
  it('writes one valid JSON array of every item of every page, in order, and counts them', async () => {
    const out = slowWritable()
    async function* pages() {
      yield [{ id: 1 }, { id: 2 }]
      yield []
      yield [{ id: 3, name: 'a "quoted" name' }]
    }
    const count = await writeJsonArray(out, pages())
    expect(count).toBe(3)
    const text = await out.text()
    expect(text).toBe('[\n  {"id":1},\n  {"id":2},\n  {"id":3,"name":"a \\"quoted\\" name"}\n]\n')
    expect(JSON.parse(text)).toEqual([{ id: 1 }, { id: 2 }, { id: 3, name: 'a "quoted" name' }])
  })

  it('writes [] for no items', async () => {
    const out = slowWritable()
    async function* pages() {
      yield []
    }
    expect(await writeJsonArray(out, pages())).toBe(0)
    expect(await out.text()).toBe('[]\n')
  })

  it('writes nothing when the first page fails: stdout is empty, not a lone [', async () => {
    const out = slowWritable()
    // eslint-disable-next-line require-yield -- a walk whose first request fails
    async function* pages(): AsyncGenerator<unknown[]> {
      throw new Error('Kick answered 200 with a body that is not JSON')
    }
    await expect(writeJsonArray(out, pages())).rejects.toThrow('not JSON')
    expect(await out.text()).toBe('')
  })

  it('writes [] for a walk with no pages at all', async () => {
    const out = slowWritable()
    async function* pages(): AsyncGenerator<unknown[]> {}
    expect(await writeJsonArray(out, pages())).toBe(0)
    expect(await out.text()).toBe('[]\n')
  })

  it('waits for drain: the next page is asked for only once the reader caught up', async () => {
    const out = slowWritable()
    const item = { payload: 'x'.repeat(100) }
    const itemBytes = Buffer.byteLength(`,\n  ${JSON.stringify(item)}`)
    const bufferedWhenAsked: number[] = []
    async function* pages() {
      for (let page = 0; page < 50; page++) {
        bufferedWhenAsked.push(out.writableLength)
        yield Array.from({ length: 20 }, () => item)
      }
    }
    const count = await writeJsonArray(out, pages())
    expect(count).toBe(1000)
    expect(JSON.parse(await out.text())).toHaveLength(1000)
    // Each page leaves in one write. Without backpressure the buffer would grow by a page (20 items) per
    // page; with it, at most the last page's write is pending when the next page is pulled.
    expect(Math.max(...bufferedWhenAsked)).toBeLessThanOrEqual(20 * itemBytes)
  })
})
