import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS } from '../../src/kick/events.js'
import { type MockKick, startMockKick } from '../../src/mock/server.js'
import { publicKeyFromPem, verifySignature } from '../../src/webhooks/signature.js'
import { bearer, testDevKey } from './mock-helpers.js'

/** An empty POST that says it is JSON, as every call of the mock's routes must. */
const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' } }

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A webhook receiver on loopback: answers the queued statuses in turn (then 200), records every request. */
class Receiver {
  readonly received: Received[] = []
  private waiters: (() => void)[] = []
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly statuses: number[],
  ) {}

  static async start(statuses: number[] = []): Promise<Receiver> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const receiver = new Receiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      statuses,
    )
    server.on('request', (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        res.writeHead(receiver.statuses.shift() ?? 200).end()
        receiver.waiters.splice(0).forEach((wake) => wake())
      })
    })
    return receiver
  }

  /** Waits (bounded) until `count` requests have arrived. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`receiver got ${this.received.length} of ${count} requests`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 200)
      })
    }
    return this.received
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

describe('mock webhook delivery', () => {
  let receiver: Receiver
  let mock: MockKick
  let token: string
  let logLines: string[]

  async function start(statuses: number[] = []): Promise<void> {
    receiver = await Receiver.start(statuses)
    logLines = []
    mock = await startMockKick({
      devKey: testDevKey(),
      webhookUrl: receiver.url,
      webhookRetryDelaysMs: [50, 50],
      log: (line) => logLines.push(line),
    })
    token = mock.issueToken({ kind: 'user' }).access_token
  }
  beforeEach(() => {
    logLines = []
  })
  afterEach(async () => {
    await mock?.close()
    await receiver?.close()
  })

  const api = (method: string, path: string, json?: unknown) =>
    fetch(`${mock.url}${path}`, {
      method,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })

  async function subscribe(...events: string[]): Promise<string[]> {
    const response = await api('POST', '/public/v1/events/subscriptions', {
      method: 'webhook',
      events: events.map((name) => ({ name, version: 1 })),
    })
    const { data } = (await response.json()) as { data: { subscription_id: string }[] }
    return data.map((item) => item.subscription_id)
  }

  async function verified(delivery: Received): Promise<boolean> {
    const { data } = (await (await fetch(`${mock.url}/public/v1/public-key`)).json()) as {
      data: { public_key: string }
    }
    const header = (name: string) => String(delivery.headers[name.toLowerCase()])
    return verifySignature(
      publicKeyFromPem(data.public_key),
      header(EVENT_HEADERS.messageId),
      header(EVENT_HEADERS.timestamp),
      delivery.body,
      header(EVENT_HEADERS.signature),
    )
  }

  it('delivers a chat message sent through the API as a signed chat.message.sent with all six headers', async () => {
    await start()
    const [subscriptionId] = await subscribe('chat.message.sent')
    const sent = await api('POST', '/public/v1/chat', { type: 'bot', content: 'gg [emote:37226:KEKW]' })
    const { data } = (await sent.json()) as { data: { message_id: string } }
    const [delivery] = await receiver.waitFor(1)
    expect(delivery!.headers['kick-event-type']).toBe('chat.message.sent')
    expect(delivery!.headers['kick-event-version']).toBe('1')
    expect(delivery!.headers['kick-event-subscription-id']).toBe(subscriptionId)
    expect(delivery!.headers['kick-event-message-id']).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(delivery!.headers['kick-event-message-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(delivery!.headers['content-type']).toBe('application/json')
    expect(await verified(delivery!)).toBe(true)
    expect(await verified({ ...delivery!, body: delivery!.body.replace('gg', 'GG') })).toBe(false)
    const payload = JSON.parse(delivery!.body) as Record<string, unknown>
    expect(payload).toMatchObject({
      message_id: data.message_id,
      replies_to: null,
      content: 'gg [emote:37226:KEKW]',
      emotes: [{ emote_id: '37226', positions: [{ s: 3, e: 20 }] }],
      broadcaster: { user_id: 100001, username: 'mockstreamer', channel_slug: 'mockstreamer' },
      sender: {
        user_id: 100001,
        is_anonymous: false,
        identity: { username_color: '#1475E1', badges: [{ text: 'Broadcaster', type: 'broadcaster' }] },
      },
    })
  })

  it('delivers bans, channel updates and redemption decisions only to their subscriptions', async () => {
    await start()
    await subscribe('moderation.banned', 'livestream.metadata.updated', 'channel.reward.redemption.updated')
    // not subscribed: no delivery
    await api('POST', '/public/v1/chat', { type: 'bot', content: 'unheard' })
    await api('POST', '/public/v1/moderation/bans', {
      broadcaster_user_id: 100001,
      user_id: 100004,
      reason: 'spam',
    })
    await api('PATCH', '/public/v1/channels', { stream_title: 'Changed', category_id: 15 })
    const pending = (await (
      await api('GET', '/public/v1/channels/rewards/redemptions?status=pending')
    ).json()) as {
      data: { redemptions: { id: string }[] }[]
    }
    const redemptionId = pending.data[0]!.redemptions[0]!.id
    await api('POST', '/public/v1/channels/rewards/redemptions/reject', { ids: [redemptionId] })
    const deliveries = await receiver.waitFor(3)
    const byType = Object.fromEntries(
      deliveries.map((d) => [d.headers['kick-event-type'], JSON.parse(d.body) as Record<string, unknown>]),
    )
    expect(Object.keys(byType).sort()).toEqual([
      'channel.reward.redemption.updated',
      'livestream.metadata.updated',
      'moderation.banned',
    ])
    expect(byType['moderation.banned']).toMatchObject({
      banned_user: { user_id: 100004, username: 'chatter_two' },
      metadata: { reason: 'spam', expires_at: null },
    })
    expect(byType['livestream.metadata.updated']).toMatchObject({
      metadata: { title: 'Changed', category: { id: 15, name: 'Just Chatting' } },
    })
    expect(byType['channel.reward.redemption.updated']).toMatchObject({
      id: redemptionId,
      status: 'rejected',
      reward: { title: 'Song Request' },
    })
    for (const delivery of deliveries) expect(await verified(delivery)).toBe(true)
    expect(mock.webhooks.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered'])
  })

  it('retries a failing receiver with the same message id and signature until it accepts', async () => {
    await start([500, 503])
    await subscribe('moderation.banned')
    await api('POST', '/public/v1/moderation/bans', { broadcaster_user_id: 100001, user_id: 100003 })
    const attempts = await receiver.waitFor(3)
    const ids = attempts.map((a) => a.headers['kick-event-message-id'])
    expect(new Set(ids).size).toBe(1)
    expect(new Set(attempts.map((a) => a.headers['kick-event-signature'])).size).toBe(1)
    await expect.poll(() => mock.webhooks.deliveries[0]?.status, { timeout: 5000 }).toBe('delivered')
    expect(mock.webhooks.deliveries[0]!.attempts).toBe(3)
    expect(logLines.filter((line) => line.startsWith('webhook moderation.banned'))).toEqual([
      `webhook moderation.banned ${ids[0]} attempt 1 → 500, retrying in 50 ms`,
      `webhook moderation.banned ${ids[0]} attempt 2 → 503, retrying in 50 ms`,
      `webhook moderation.banned ${ids[0]} attempt 3 → 200`,
    ])
  })

  it('gives up after the last retry', async () => {
    await start([500, 500, 500])
    await mock.trigger('kicks.gifted')
    expect(receiver.received).toHaveLength(3)
    expect(mock.webhooks.deliveries[0]).toMatchObject({ status: 'failed', attempts: 3, lastResult: 500 })
  })

  it('fires any event from POST /mock/trigger/{event}, subscribed or not, with overrides', async () => {
    await start()
    const response = await fetch(`${mock.url}/mock/trigger/kicks.gifted`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ broadcaster_user_id: 200002, set: { 'gift.amount': 500 } }),
    })
    expect(response.status).toBe(202)
    const [delivery] = await receiver.waitFor(1)
    expect(delivery!.headers['kick-event-type']).toBe('kicks.gifted')
    const payload = JSON.parse(delivery!.body) as {
      broadcaster: { user_id: number }
      gift: { amount: number }
    }
    expect(payload.broadcaster.user_id).toBe(200002)
    expect(payload.gift.amount).toBe(500)
    expect(await verified(delivery!)).toBe(true)
    expect((await fetch(`${mock.url}/mock/trigger/not.an.event`, JSON_POST)).status).toBe(404)
  })

  it('refuses a set path through __proto__, constructor or prototype with 400, and goes on unpolluted', async () => {
    await start()
    for (const set of [
      { '__proto__.headers': { 'bad header': 'x' } },
      { '__proto__.headers': { 'x-polluted': '1' } },
      { 'constructor.prototype.status': 500 },
      { 'gift.__proto__.json': 1 },
    ]) {
      const response = await fetch(`${mock.url}/mock/trigger/kicks.gifted`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ set }),
      })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { data: string }).data).toMatch(/^set: .* may not appear in a path$/)
    }
    expect(({} as Record<string, unknown>).headers).toBeUndefined()
    const after = await fetch(`${mock.url}/public/v1/public-key`)
    expect(after.status).toBe(200)
    expect(after.headers.get('x-polluted')).toBeNull()
    expect(receiver.received).toHaveLength(0)
  })

  it('trigger() delivers to the matching subscription and resolves once delivered', async () => {
    await start()
    const [subscriptionId] = await subscribe('channel.followed')
    await mock.trigger('channel.followed', { set: { 'follower.username': 'new_fan' } })
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]!.headers['kick-event-subscription-id']).toBe(subscriptionId)
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ follower: { username: 'new_fan' } })
  })
})

describe('mock webhook delivery without a URL', () => {
  it('refuses /mock/trigger with 409 and trigger() with an error', async () => {
    const mock = await startMockKick({ devKey: testDevKey() })
    try {
      const response = await fetch(`${mock.url}/mock/trigger/kicks.gifted`, JSON_POST)
      expect(response.status).toBe(409)
      await expect(mock.trigger('kicks.gifted')).rejects.toThrow('no webhook URL')
    } finally {
      await mock.close()
    }
  })
})
