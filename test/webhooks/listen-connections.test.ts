import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

import { delivery, freshKey, type Running, send, startKick, stopKick, until } from './helpers.js'

const key = freshKey()
let running: Running | undefined
const sockets: Socket[] = []
const timers: NodeJS.Timeout[] = []
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer)
  for (const socket of sockets.splice(0)) socket.destroy()
  await stopKick(running)
  running = undefined
})

const listen = async (): Promise<Running> =>
  (running = await startKick(['listen', '--public-key-file', key.pemFile]))

/** A raw connection to the listener: what it was sent back, and whether the listener hung up. */
interface Held {
  socket: Socket
  received: () => string
  closed: Promise<void>
  isClosed: () => boolean
}

function hold(url: string, first = ''): Held {
  const { port, hostname } = new URL(url)
  const socket = connect(Number(port), hostname)
  sockets.push(socket)
  let received = ''
  let closed = false
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk))
  socket.on('error', () => {})
  if (first) socket.write(first)
  return {
    socket,
    received: () => received,
    closed: new Promise((resolve) =>
      socket.on('close', () => {
        closed = true
        resolve()
      }),
    ),
    isClosed: () => closed,
  }
}

/** Writes `piece` to each open connection every `everyMs`: senders that never finish. */
function trickle(held: Held[], piece: string, everyMs: number): void {
  timers.push(
    setInterval(() => {
      for (const { socket } of held) if (!socket.destroyed) socket.write(piece)
    }, everyMs),
  )
}

describe('kick listen against hostile connections', () => {
  it('holds at most 1,000 connections: 2,000 idle and trickling ones do not keep a real delivery out', async () => {
    const kick = await listen()
    const idle = Array.from({ length: 1000 }, () => hold(kick.url))
    const trickling = Array.from({ length: 1000 }, () => hold(kick.url, 'POST / HTTP/1.1\r\nHost: x\r\n'))
    trickle(trickling, 'X-Slow: 1\r\n', 500)
    const all = [...idle, ...trickling]
    // the listener closes what is past its cap, oldest idle first
    await until(() => all.filter((held) => held.isClosed()).length >= 1000, 'connections past the cap closed')

    const d = delivery(key.privateKey)
    expect(await send(kick.url, d)).toEqual({ status: 200, body: '' })
    expect(all.filter((held) => !held.isClosed()).length).toBeLessThanOrEqual(1000)
    expect(kick.stderr()).toContain(
      '1,000 connections open: from now on each new one closes the oldest idle one (or is refused when none is idle)',
    )
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    expect(kick.events().map((event) => event.id)).toEqual([d.id])
  }, 60_000)

  it('hangs up on a head not sent within 10 s, a body not sent within 30 s, and idle keep-alive', async () => {
    const kick = await listen()
    const idle = hold(kick.url)
    const slowHead = hold(kick.url, 'POST / HTTP/1.1\r\nHost: x\r\n')
    trickle([slowHead], 'X-Slow: 1\r\n', 1000)
    const slowBody = hold(kick.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
    trickle([slowBody], '{', 1000)
    // a real delivery on a keep-alive connection, then nothing more on it
    const d = delivery(key.privateKey)
    const head = Object.entries({
      ...d.headers,
      Host: 'x',
      'Content-Length': String(Buffer.byteLength(d.body)),
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    const keepAlive = hold(kick.url, `POST / HTTP/1.1\r\n${head}\r\n${d.body}`)

    await Promise.all([idle.closed, slowHead.closed, slowBody.closed, keepAlive.closed])
    for (const held of [idle, slowHead, slowBody])
      expect(held.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
    expect(keepAlive.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(keepAlive.received().match(/HTTP\/1\.1/g)).toHaveLength(1)
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    expect(kick.events().map((event) => event.id)).toEqual([d.id])
  }, 90_000)

  it('answers 413 to a 50 MiB chunked body once it passes 1 MiB, stops reading it, and hangs up cleanly', async () => {
    const kick = await listen()
    // a sender that goes on writing until it has the answer: closing on it with its bytes unread would reset
    // the connection, and such a sender then sees the reset (EPIPE) instead of the 413
    const held = hold(kick.url, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n')
    let failed: Error | undefined
    held.socket.on('error', (error) => (failed = error))
    const chunk = `10000\r\n${'a'.repeat(0x10000)}\r\n`
    const total = 50 * 1024 * 1024
    let sent = 0
    const answered = (): boolean => held.received().endsWith('{"error":"body over 1048576 bytes"}')
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (sent < total && !answered() && !held.socket.destroyed) {
          sent += 0x10000
          if (!held.socket.write(chunk)) return void held.socket.once('drain', pump)
        }
        resolve()
      }
      held.socket.on('data', () => answered() && resolve())
      pump()
    })
    await held.closed
    expect(failed).toBeUndefined()
    expect(held.received()).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/)
    expect(answered()).toBe(true)
    expect(sent).toBeLessThan(total)
    expect(kick.stderr()).toContain('rejected 413 POST / from 127.0.0.1: body over 1048576 bytes')
  })

  it('answers 413 to a declared Content-Length over the limit before the body is sent', async () => {
    const kick = await listen()
    const held = hold(
      kick.url,
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n${'{'.repeat(1024)}`,
    )
    // the rest of the 50 MiB is never sent: the answer comes anyway, and then the listener hangs up
    await held.closed
    expect(held.received()).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/)
    expect(held.received()).toMatch(/\r\nConnection: close\r\n/i)
    expect(held.received().endsWith('{"error":"body over 1048576 bytes"}')).toBe(true)
    // and the listener goes on taking deliveries
    const d = delivery(key.privateKey)
    expect(await send(kick.url, d)).toEqual({ status: 200, body: '' })
  })
})
