import { Writable } from 'node:stream'

import { describe, expect, it } from 'vitest'

import { LineWriter } from '../../src/webhooks/line-writer.js'

/** A stream that records each write it is handed; `hold` keeps its callbacks back, like a full pipe. */
function recorder(highWaterMark = 1 << 20) {
  const writes: string[] = []
  let held: (() => void)[] | undefined
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString())
      if (held) held.push(callback)
      else callback()
    },
  })
  return {
    stream,
    writes,
    hold: () => (held = []),
    release: () => {
      const callbacks = held ?? []
      held = undefined
      for (const callback of callbacks) callback()
    },
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

/** A `written` callback that notes, in `told`, the line's name and how it went. */
const noting = (told: string[], name: string) => (error?: Error) =>
  told.push(`${name} ${error?.message ?? 'ok'}`)

describe('LineWriter', () => {
  it('sends the lines of one turn in one write, in order, and tells each once that write is done', async () => {
    const out = recorder()
    const writer = new LineWriter(out.stream)
    const told: string[] = []
    for (const line of ['a\n', 'b\n', 'c\n']) {
      writer.write(line, (error) =>
        told.push(`${line.trim()} ${error ? 'failed' : 'written'} after ${out.writes.length}`),
      )
    }
    expect(out.writes).toEqual([])
    expect(told).toEqual([])
    await turn()
    expect(out.writes).toEqual(['a\nb\nc\n'])
    expect(told).toEqual(['a written after 1', 'b written after 1', 'c written after 1'])
    writer.write('d\n', () => told.push('d'))
    await turn()
    expect(out.writes).toEqual(['a\nb\nc\n', 'd\n'])
  })

  it('holds later lines while the stream asks to drain, then sends them in order', async () => {
    const out = recorder(4)
    const writer = new LineWriter(out.stream)
    const told: string[] = []
    out.hold()
    writer.write('first line\n', () => told.push('first'))
    await turn()
    // handed to the stream but not written yet (a reader that does not read): nobody is told
    expect(out.writes).toEqual(['first line\n'])
    expect(told).toEqual([])
    writer.write('second\n', () => told.push('second'))
    writer.write('third\n', () => told.push('third'))
    await turn()
    // the stream is over its mark: nothing more is handed to it
    expect(out.writes).toEqual(['first line\n'])
    expect(told).toEqual([])
    out.release()
    await turn()
    await turn()
    expect(out.writes).toEqual(['first line\n', 'second\nthird\n'])
    expect(told).toEqual(['first', 'second', 'third'])
    await writer.flush()
  })

  it('tells unwritten, waiting and later lines the error once the stream breaks', async () => {
    const out = recorder(4)
    const writer = new LineWriter(out.stream)
    const told: string[] = []
    out.hold()
    writer.write('first line\n', noting(told, 'first'))
    await turn()
    writer.write('second\n', noting(told, 'second'))
    out.stream.destroy(new Error('EPIPE'))
    await turn()
    writer.write('third\n', noting(told, 'third'))
    // the first line was handed to the stream but never written: it went nowhere, and is told so
    expect(told).toEqual(['first EPIPE', 'second EPIPE', 'third EPIPE'])
    expect(writer.failed?.message).toBe('EPIPE')
  })

  it('abandon() tells every unwritten line the error, once, and takes no more', async () => {
    const out = recorder(4)
    const writer = new LineWriter(out.stream)
    const told: string[] = []
    out.hold()
    writer.write('first line\n', noting(told, 'first'))
    await turn()
    writer.write('second\n', noting(told, 'second'))
    const flushed = writer.flush()
    writer.abandon(new Error('stalled'))
    await flushed
    writer.write('third\n', noting(told, 'third'))
    // the reader reads at last: the first line's late completion changes nothing, nothing more is sent
    out.release()
    await turn()
    await turn()
    expect(told).toEqual(['first stalled', 'second stalled', 'third stalled'])
    expect(out.writes).toEqual(['first line\n'])
  })

  it('flush() writes what is queued and waits until it has left', async () => {
    const out = recorder()
    const writer = new LineWriter(out.stream)
    let told = false
    writer.write('x\n', () => (told = true))
    await writer.flush()
    expect(out.writes).toEqual(['x\n'])
    expect(told).toBe(true)
  })
})
