import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

import { rawGet } from '../helpers/raw-http.js'
import { delivery, freshKey, pool, post, type Running, send, startKick, stopKick, until } from './helpers.js'

/**
 * `kick listen` against what anyone can send it once its URL is public (a tunnel), or any process of the
 * user's on loopback: floods of rejected requests, oversized ids, and a local app that answers without end
 * (issue 21 items 2, 4 and 5).
 */
const key = freshKey()
let running: Running | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await stopKick(running)
  running = undefined
  for (const close of closers.splice(0)) await close()
})

const listen = async (args: string[] = []): Promise<Running> => {
  running = await startKick(['listen', '--public-key-file', key.pemFile, '--json', ...args])
  return running
}

/** Peak resident memory of a process so far, in MiB (Linux). */
const peakRssMiB = (pid: number): number =>
  Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

/** The rejections stderr tells of: each shown line, plus what the folded lines count. */
function rejectionsTold(stderr: string): { shown: number; folded: number } {
  const shown = stderr.match(/^rejected /gm)?.length ?? 0
  const folded = [...stderr.matchAll(/^([\d,]+) more rejected requests within a second/gm)].reduce(
    (sum, match) => sum + Number(match[1]!.replace(/,/g, '')),
    0,
  )
  return { shown, folded }
}

describe('kick listen against hostile senders', () => {
  it('a flood of 3,000 unsigned POSTs with 14 KB query strings adds kilobytes to stderr, and counts them all', async () => {
    const kick = await listen()
    const query = `?${'q'.repeat(14 * 1024)}`
    const started = Date.now()
    const answers = await pool(
      Array.from({ length: 3_000 }, () => () => post(`${kick.url}${query}`, {}, '{}')),
      32,
    )
    expect(answers.every((answer) => answer.status === 400)).toBe(true)
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1
    kick.child.kill('SIGTERM')
    expect((await kick.exited).code).toBe(0)

    const stderr = kick.stderr()
    // 3,000 whole lines would be 41 MiB; folded, at most 10 lines and a count a second, each with the URL cut short
    // (a flood of 3,000 takes a few seconds; on a busy machine more, and then it is more lines, but never one each)
    const lines = stderr
      .split('\n')
      .filter((line) => / rejected requests within a second|^rejected /.test(line))
    expect(lines.length).toBeLessThanOrEqual(11 * seconds)
    for (const line of lines) expect(line.length).toBeLessThan(700)
    expect(stderr.length).toBeLessThan(256 * 1024)
    const told = rejectionsTold(stderr)
    expect(told.shown).toBeGreaterThan(0)
    expect(told.shown + told.folded).toBe(3_000)
    const first = stderr.split('\n').find((line) => line.startsWith('rejected '))!
    expect(first).toMatch(
      /^rejected 400 POST \/\?q{198}…\(14138 more\) from 127\.0\.0\.1: missing header Kick-Event-Message-Id, /,
    )
  })

  it('cuts what a rejection line repeats of a 5 KB timestamp', async () => {
    const kick = await listen()
    const notRfc = delivery(key.privateKey, { timestamp: 'x'.repeat(5_000) })
    expect((await send(kick.url, notRfc)).status).toBe(400)
    await until(() => rejectionsTold(kick.stderr()).shown === 1, 'the rejection line')
    const line = kick
      .stderr()
      .split('\n')
      .find((text) => text.startsWith('rejected '))!
    expect(line).toBe(
      `rejected 400 POST / from 127.0.0.1 (${notRfc.id}): timestamp "${'x'.repeat(40)}…(4960 more)" is not RFC 3339`,
    )
  })

  it('refuses a message id longer than 128 bytes with 400, and takes one of 128', async () => {
    const kick = await listen()
    const long = delivery(key.privateKey, { id: 'A'.repeat(129) })
    const answer = await send(kick.url, long)
    expect(answer).toEqual({
      status: 400,
      body: `{"error":"message id longer than 128 bytes (Kick's are 26)"}`,
    })
    const longest = delivery(key.privateKey, { id: 'B'.repeat(128) })
    expect((await send(kick.url, longest)).status).toBe(200)
    await until(() => kick.events().length === 1, 'the event line')
    expect(kick.events()[0]!.id).toBe('B'.repeat(128))
    const line = kick
      .stderr()
      .split('\n')
      .find((text) => text.startsWith('rejected 400'))!
    expect(line).toBe(
      `rejected 400 POST / from 127.0.0.1 (${'A'.repeat(128)}…(1 more)): message id longer than 128 bytes (Kick's are 26)`,
    )
  })

  it('answers malformed requests with a 4xx and goes on', async () => {
    const kick = await listen()
    const port = Number(new URL(kick.url).port)
    for (const target of ['//', 'http://evil.example/', '*', '/%E0%A4%A'])
      expect((await rawGet(port, target)).status, target).toBeGreaterThanOrEqual(400)
    expect((await rawGet(port, '/', { headers: [`X-Big: ${'a'.repeat(20_000)}`] })).status).toBe(431)
    expect((await send(kick.url, delivery(key.privateKey))).status).toBe(200)
    expect(kick.child.exitCode).toBeNull()
  })

  it('--forward-to reads a few KiB of an app answering without end: memory stays flat, the status is reported', async () => {
    // the local app: 200, then a body that never ends, as fast as the listener will take it
    const chunk = Buffer.alloc(64 * 1024, 'x')
    const app: Server = createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'text/plain' })
      const pour = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pour)
      }
      pour()
    })
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    closers.push(async () => {
      app.closeAllConnections()
      await new Promise((resolve) => app.close(resolve))
    })
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hook`
    const kick = await listen(['--forward-to', appUrl])
    const deliveries = Array.from({ length: 16 }, () => delivery(key.privateKey))
    for (const d of deliveries) expect((await send(kick.url, d)).status).toBe(200)
    await until(
      () => (kick.stderr().match(/^forward .*: 200 OK$/gm) ?? []).length === deliveries.length,
      'a forward line reporting 200 for each delivery',
      60_000,
    )
    expect(kick.stderr()).not.toMatch(/failed/)
    // buffering each answer up to 32 MiB (as before) took hundreds of MiB; a few KiB each takes nothing
    expect(peakRssMiB(kick.child.pid!)).toBeLessThan(120)
  })
})
