import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS } from '../../src/kick/events.js'
import {
  type Delivery,
  delivery,
  freshKey,
  pool,
  post,
  type Running,
  send,
  startKick,
  stopKick,
  until,
} from './helpers.js'

let running: Running | undefined
afterEach(async () => {
  await stopKick(running)
  running = undefined
})

describe('kick listen: what is signed is required, and nothing more', () => {
  const key = freshKey()

  it('prints a validly signed delivery without its unsigned headers, with those fields null', async () => {
    running = await startKick(['listen', '--public-key-file', key.pemFile])
    const bare = delivery(key.privateKey)
    for (const name of [EVENT_HEADERS.subscriptionId, EVENT_HEADERS.type, EVENT_HEADERS.version])
      delete bare.headers[name]
    const noType = delivery(key.privateKey)
    delete noType.headers[EVENT_HEADERS.type]
    expect(await send(running.url, bare)).toEqual({ status: 200, body: '' })
    expect(await send(running.url, noType)).toEqual({ status: 200, body: '' })
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    const [first, second] = running.events()
    expect(first).toMatchObject({ id: bare.id, subscription_id: null, type: null, version: null })
    expect(second).toMatchObject({
      id: noType.id,
      subscription_id: noType.headers[EVENT_HEADERS.subscriptionId],
      type: null,
      version: 1,
    })
    expect(running.stderr()).not.toMatch(/^rejected/m)
  })

  it('refuses (400) a Kick header sent twice and a timestamp that is not RFC 3339', async () => {
    running = await startKick(['listen', '--public-key-file', key.pemFile])
    const d = delivery(key.privateKey)
    const typeTwice = { ...d.headers, [EVENT_HEADERS.type]: ['chat.message.sent', 'kicks.gifted'] }
    expect(await post(running.url, typeTwice, d.body)).toEqual({
      status: 400,
      body: '{"error":"repeated header Kick-Event-Type"}',
    })
    const versionTwice = { ...d.headers, [EVENT_HEADERS.version]: ['1', '1'] }
    expect((await post(running.url, versionTwice, d.body)).status).toBe(400)
    const idTwice = { ...d.headers, [EVENT_HEADERS.messageId]: [d.id, d.id] }
    expect(await post(running.url, idTwice, d.body)).toEqual({
      status: 400,
      body: '{"error":"repeated header Kick-Event-Message-Id"}',
    })
    // fresh, validly signed, and in a form Date.parse reads: only the format is wrong
    const httpDate = new Date().toUTCString()
    const dated = delivery(key.privateKey, { timestamp: httpDate })
    expect(await send(running.url, dated)).toEqual({
      status: 400,
      body: JSON.stringify({ error: `timestamp ${JSON.stringify(httpDate)} is not RFC 3339` }),
    })
    // the same delivery with its headers once each is taken
    expect(await send(running.url, d)).toEqual({ status: 200, body: '' })
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.events().map((event) => [event.id, event.type])).toEqual([[d.id, 'chat.message.sent']])
    expect(running.stderr()).toContain(`(${dated.id}): timestamp "${httpDate}" is not RFC 3339`)
  })

  it('prints an event type Kick has not documented as received, with one note per new type', async () => {
    running = await startKick(['listen', '--public-key-file', key.pemFile])
    const raids = [1, 2, 3].map((n) =>
      delivery(key.privateKey, { type: 'channel.raid.started', body: JSON.stringify({ raiders: n }) }),
    )
    const other = delivery(key.privateKey, { type: 'channel.poll.ended', body: '{}' })
    for (const d of [...raids, other]) expect((await send(running.url, d)).status).toBe(200)
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.events().map((event) => [event.type, event.payload])).toEqual([
      ['channel.raid.started', { raiders: 1 }],
      ['channel.raid.started', { raiders: 2 }],
      ['channel.raid.started', { raiders: 3 }],
      ['channel.poll.ended', {}],
    ])
    expect(running.stderr().match(/^new event type .*$/gm)).toEqual([
      'new event type channel.raid.started: printed as received (not one of the 10 Kick documents)',
      'new event type channel.poll.ended: printed as received (not one of the 10 Kick documents)',
    ])
  })
})

describe('kick listen: no duplicate inside the replay window', () => {
  // A 1024-bit key: the test signs 12,000 deliveries, and what is measured is the listener's memory of ids.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const pemFile = join(mkdtempSync(join(tmpdir(), 'kick-key-')), 'public.pem')
  writeFileSync(pemFile, publicKey.export({ type: 'spki', format: 'pem' }) as string)

  it('prints a retry once however many deliveries came in between (more than it used to hold)', async () => {
    running = await startKick(['listen', '--public-key-file', pemFile])
    const kick = running
    const first = delivery(privateKey, { body: '{"n":0}' })
    expect(await send(kick.url, first)).toEqual({ status: 200, body: '' })
    const between = Array.from({ length: 12_000 }, (_, i) =>
      delivery(privateKey, { body: JSON.stringify({ n: i + 1 }) }),
    )
    // 32 keep-alive senders, as Kick's are
    const agent = new Agent({ keepAlive: true, maxSockets: 32 })
    const statuses = await pool(
      between.map((d) => () => sendOn(agent, kick.url, d)),
      32,
    )
    agent.destroy()
    expect(statuses.filter((status) => status !== 200)).toEqual([])
    // Kick's retry of the first, 12,000 deliveries later and well inside --max-age (10m)
    expect(await send(kick.url, first)).toEqual({
      status: 200,
      body: JSON.stringify({ duplicate: first.id }),
    })
    await until(() => kick.events().length >= 12_001, '12,001 events on stdout', 60_000)
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    const ids = kick.events().map((event) => event.id)
    expect(ids).toHaveLength(12_001)
    expect(new Set(ids).size).toBe(12_001)
    expect(kick.stderr().match(/^duplicate .*$/gm)).toEqual([
      `duplicate ${first.id} (chat.message.sent): answered 200, not printed again`,
    ])
  }, 180_000)
})

function sendOn(agent: Agent, url: string, d: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: d.headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.on('error', reject)
    req.end(d.body)
  })
}
