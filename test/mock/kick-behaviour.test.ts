import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { parseFault } from '../../src/mock/faults.js'
import { type MockKick, MOCK_CLIENT_ID, startMockKick } from '../../src/mock/server.js'
import { type Answer, bearer, callMock, testDevKey } from './mock-helpers.js'
import { webhookReceiver } from './mock-process.js'

/** The mock's answers where Kick's differ from a tidy API: raw HTTP, byte for byte what a client reads. */

const ME = 100001
const BOT = 100002
const CHATTER = 100003
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/

const call = (
  mock: MockKick,
  method: string,
  path: string,
  options: { token?: string; json?: unknown } = {},
): Promise<Answer> => callMock(mock.url, method, path, options)

describe('Kick’s failure shapes', () => {
  let mock: MockKick
  let user: string
  let app: string
  beforeAll(async () => {
    mock = await startMockKick({ devKey: testDevKey() })
    user = mock.issueToken({ kind: 'user' }).access_token
    app = mock.issueToken({ kind: 'app' }).access_token
  })
  afterAll(() => mock.close())

  it('401 {"data":{},"message":"Unauthorized"} for a missing, made-up or expired token', async () => {
    const expired = mock.issueToken({ kind: 'user', expiresIn: 1 })
    mock.state.tokens.activeAccess(expired.access_token)!.expiresAt = Date.now() - 1
    for (const token of [undefined, 'made-up', expired.access_token]) {
      const answer = await call(mock, 'GET', '/public/v1/users', { token })
      expect(answer.status).toBe(401)
      expect(answer.text).toBe('{"data":{},"message":"Unauthorized"}')
    }
  })

  it('400 with the detail as a string in data and message "Bad request"', async () => {
    const answer = await call(mock, 'POST', '/public/v1/chat', {
      token: user,
      json: { type: 'user', content: 'hi', broadcaster_user_id: 999999 },
    })
    expect(answer.status).toBe(400)
    // Kick's own words for this one (REFERENCE, KDD#143)
    expect(answer.text).toBe('{"data":"Channel not found","message":"Bad request"}')
    const notJson = await fetch(`${mock.url}/public/v1/chat`, {
      method: 'POST',
      headers: { ...bearer(user), 'content-type': 'application/json' },
      body: '{"type":',
    })
    expect(await notJson.json()).toEqual({ data: 'the body is not valid JSON', message: 'Bad request' })
  })

  it('an app token on a user-only endpoint is 401 like a bad token, not a 403', async () => {
    const answer = await call(mock, 'POST', '/public/v1/chat', {
      token: app,
      json: { type: 'user', content: 'hi', broadcaster_user_id: ME },
    })
    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ data: {}, message: 'Unauthorized' })
    expect(mock.state.messages.size).toBe(0)
    // the same app token may still subscribe to events (REFERENCE: KDD#383)
    const subscribed = await call(mock, 'POST', '/public/v1/events/subscriptions', {
      token: app,
      json: {
        method: 'webhook',
        broadcaster_user_id: ME,
        events: [{ name: 'channel.followed', version: 1 }],
      },
    })
    expect(subscribed.status).toBe(200)
  })

  it('a path with malformed percent-encoding is a 400, not a 500', async () => {
    for (const path of ['/public/v1/chat/%E0%A4%A', '/public/v1/chat/%zz', '/public/v1/channels/rewards/%']) {
      const answer = await call(mock, 'DELETE', path, { token: user })
      expect(answer.status).toBe(400)
      expect(answer.body).toEqual({ data: 'the path has malformed percent-encoding', message: 'Bad request' })
    }
    const trigger = await call(mock, 'POST', '/mock/trigger/%E0%A4%A', { json: {} })
    expect(trigger.status).toBe(400)
  })

  it('its own client id is a valid ULID like Kick’s: 26 Crockford base32 characters', async () => {
    expect(MOCK_CLIENT_ID).toMatch(ULID)
    const introspected = await call(mock, 'POST', '/public/v1/token/introspect', { token: user })
    expect(introspected.body.data.client_id).toBe(MOCK_CLIENT_ID)
  })
})

describe('moderation as Kick does it', () => {
  let mock: MockKick
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>
  let streamer: string
  let bot: string
  beforeAll(async () => {
    receiver = await webhookReceiver()
    mock = await startMockKick({ devKey: testDevKey(), webhookUrl: receiver.url })
    streamer = mock.issueToken({ kind: 'user', userId: ME }).access_token
    bot = mock.issueToken({ kind: 'user', userId: BOT }).access_token
    const app = mock.issueToken({ kind: 'app' }).access_token
    await call(mock, 'POST', '/public/v1/events/subscriptions', {
      token: app,
      json: {
        method: 'webhook',
        broadcaster_user_id: ME,
        events: [{ name: 'moderation.banned', version: 1 }],
      },
    })
  })
  afterAll(async () => {
    await mock.close()
    await receiver.close()
  })

  const ban = (token: string, body: Record<string, unknown>) =>
    call(mock, 'POST', '/public/v1/moderation/bans', { token, json: body })

  it('403 on a channel the token’s user neither owns nor moderates, for bans and unbans', async () => {
    const refused = await ban(streamer, { broadcaster_user_id: 200001, user_id: CHATTER })
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual({
      data: null,
      message: 'Forbidden: you are neither the broadcaster nor a moderator of this channel',
    })
    const unban = await call(mock, 'DELETE', '/public/v1/moderation/bans', {
      token: streamer,
      json: { broadcaster_user_id: 200001, user_id: CHATTER },
    })
    expect(unban.status).toBe(403)
    expect(mock.state.bans).toHaveLength(0)
  })

  it('a moderator may ban in the channel they moderate (the bot in its streamer’s)', async () => {
    const answer = await ban(bot, { broadcaster_user_id: ME, user_id: 100006, reason: 'spam' })
    expect(answer.status).toBe(200)
    expect(mock.state.activeBan(ME, 100006)).toMatchObject({ moderator_user_id: BOT })
  })

  it('an unknown user or channel is a 400 in Kick’s shape', async () => {
    expect((await ban(streamer, { broadcaster_user_id: ME, user_id: 987654 })).body).toEqual({
      data: 'User not found',
      message: 'Bad request',
    })
    expect((await ban(streamer, { broadcaster_user_id: 987654, user_id: CHATTER })).body).toEqual({
      data: 'Channel not found',
      message: 'Bad request',
    })
  })

  it('a timeout carries its expires_at and ends by itself; a ban has expires_at null', async () => {
    receiver.received.length = 0
    const timedOut = await ban(streamer, { broadcaster_user_id: ME, user_id: CHATTER, duration: 10 })
    expect(timedOut.status).toBe(200)
    const banned = await ban(streamer, { broadcaster_user_id: ME, user_id: 100004 })
    expect(banned.status).toBe(200)
    await expect.poll(() => receiver.received.length).toBe(2)
    const payloads = receiver.received.map((delivery) => JSON.parse(delivery.body))
    const timeout = payloads.find((p) => p.banned_user.user_id === CHATTER).metadata
    const created = Date.parse(timeout.created_at)
    expect(Date.parse(timeout.expires_at) - created).toBe(10 * 60_000)
    expect(timeout.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(payloads.find((p) => p.banned_user.user_id === 100004).metadata.expires_at).toBeNull()

    const chat = () =>
      call(mock, 'POST', '/mock/chat', { json: { content: 'let me talk', user: 'chatter_one' } })
    expect((await chat()).body).toEqual({
      data: 'the sender is banned in this channel',
      message: 'Bad request',
    })
    // nine minutes on: still timed out; eleven: over, with nobody lifting it
    await call(mock, 'POST', '/mock/clock', { json: { advance_seconds: 9 * 60 } })
    expect((await chat()).status).toBe(400)
    await call(mock, 'POST', '/mock/clock', { json: { advance_seconds: 2 * 60 } })
    expect((await chat()).status).toBe(200)
    // the permanent ban outlasts any clock
    const still = await call(mock, 'POST', '/mock/chat', { json: { content: 'hi', user: 'chatter_two' } })
    expect(still.status).toBe(400)
  })
})

describe('viewers through the /mock/ routes', () => {
  let mock: MockKick
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>
  let streamer: string
  beforeAll(async () => {
    receiver = await webhookReceiver()
    mock = await startMockKick({ devKey: testDevKey(), webhookUrl: receiver.url })
    streamer = mock.issueToken({ kind: 'user', userId: ME }).access_token
  })
  afterAll(async () => {
    await mock.close()
    await receiver.close()
  })
  afterEach(() => {
    receiver.received.length = 0
  })

  it('a redemption of a reward made through the API: pending, delivered, then accepted', async () => {
    await call(mock, 'POST', '/public/v1/events/subscriptions', {
      token: streamer,
      json: { method: 'webhook', events: [{ name: 'channel.reward.redemption.updated', version: 1 }] },
    })
    const reward = await call(mock, 'POST', '/public/v1/channels/rewards', {
      token: streamer,
      json: { title: 'Pick the map', cost: 10, is_user_input_required: true },
    })
    const id = reward.body.data.id
    const noInput = await call(mock, 'POST', '/mock/redeem', { json: { reward_id: id } })
    expect(noInput.body).toEqual({ data: 'the reward asks the viewer for input', message: 'Bad request' })
    const redeemed = await call(mock, 'POST', '/mock/redeem', {
      json: { reward_id: id, user: 'map_picker', user_input: 'de_dust2' },
    })
    expect(redeemed.status).toBe(200)
    expect(redeemed.headers.get('x-kick-mock')).toBe('1')
    expect(redeemed.body.data).toMatchObject({
      id: expect.stringMatching(ULID),
      status: 'pending',
      user_input: 'de_dust2',
      redeemer: { username: 'map_picker' },
      deliveries: 1,
    })
    const pending = await call(mock, 'GET', `/public/v1/channels/rewards/redemptions?reward_id=${id}`, {
      token: streamer,
    })
    expect(pending.body.data[0].redemptions).toEqual([
      expect.objectContaining({ id: redeemed.body.data.id, status: 'pending', user_input: 'de_dust2' }),
    ])
    await expect.poll(() => receiver.received.length).toBe(1)
    expect(receiver.received[0]!.headers['kick-event-type']).toBe('channel.reward.redemption.updated')
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      id: redeemed.body.data.id,
      status: 'pending',
      reward: { id, title: 'Pick the map' },
      redeemer: { username: 'map_picker' },
    })
    const accepted = await call(mock, 'POST', '/public/v1/channels/rewards/redemptions/accept', {
      token: streamer,
      json: { ids: [redeemed.body.data.id] },
    })
    expect(accepted.body.data).toEqual([])
    await expect.poll(() => receiver.received.length).toBe(2)
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({ status: 'accepted' })
  })

  it('refuses what a viewer could not redeem: unknown, paused, the broadcaster’s own', async () => {
    expect((await call(mock, 'POST', '/mock/redeem', { json: { reward_id: 'nope' } })).status).toBe(404)
    expect((await call(mock, 'POST', '/mock/redeem', { json: {} })).body.data).toBe('reward_id is required')
    const [reward] = [...mock.state.rewards.values()]
    reward!.is_paused = true
    expect((await call(mock, 'POST', '/mock/redeem', { json: { reward_id: reward!.id } })).body.data).toBe(
      'the reward is paused',
    )
    reward!.is_paused = false
    const own = await call(mock, 'POST', '/mock/redeem', {
      json: { reward_id: reward!.id, user: 'mockstreamer', user_input: 'x' },
    })
    expect(own.body.data).toBe('a broadcaster cannot redeem their own reward')
    const hostile = await call(mock, 'POST', '/mock/redeem', {
      json: { reward_id: reward!.id, user: 'bad name\u001b[2J', user_input: 'x' },
    })
    expect(hostile.body.data).toBe('user must be 1 to 25 letters, digits or underscores')
    expect((await call(mock, 'POST', '/mock/redeem', { json: { reward_id: 42 } })).body.data).toBe(
      'reward_id must be a string',
    )
  })

  it('a viewer’s chat goes to the chat.message.sent subscribers, and so does the bot’s reply', async () => {
    await call(mock, 'POST', '/public/v1/events/subscriptions', {
      token: streamer,
      json: { method: 'webhook', events: [{ name: 'chat.message.sent', version: 1 }] },
    })
    const said = await call(mock, 'POST', '/mock/chat', { json: { content: '!ping', user: 'chatter_two' } })
    expect(said.body.data).toMatchObject({
      sender: { user_id: 100004, username: 'chatter_two' },
      deliveries: 1,
    })
    const reply = await call(mock, 'POST', '/public/v1/chat', {
      token: streamer,
      json: { type: 'bot', content: 'pong', reply_to_message_id: said.body.data.message_id },
    })
    expect(reply.status).toBe(200)
    await expect.poll(() => receiver.received.length).toBe(2)
    const [viewer, bot] = receiver.received.map((delivery) => JSON.parse(delivery.body))
    expect(viewer).toMatchObject({ content: '!ping', sender: { username: 'chatter_two' } })
    // what a loop guard keys on: the bot's own message comes back with the bot as sender
    expect(bot).toMatchObject({
      content: 'pong',
      sender: { user_id: ME },
      replies_to: { message_id: said.body.data.message_id },
    })
  })

  it('refuses a malformed, huge or missing chat message', async () => {
    expect((await call(mock, 'POST', '/mock/chat', { json: {} })).body.data).toBe('content must be a string')
    expect((await call(mock, 'POST', '/mock/chat', { json: { content: 'x'.repeat(501) } })).body.data).toBe(
      'content must be at most 500 characters',
    )
    const notJson = await fetch(`${mock.url}/mock/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,',
    })
    expect(notJson.status).toBe(400)
    expect((await call(mock, 'GET', '/mock/chat')).status).toBe(405)
    expect((await call(mock, 'POST', '/mock/nothing')).status).toBe(404)
  })

  it('/mock/clock takes only a sane number of seconds', async () => {
    for (const advance_seconds of [-1, 1.5, '60', 10 ** 12]) {
      const answer = await call(mock, 'POST', '/mock/clock', { json: { advance_seconds } })
      expect(answer.status).toBe(400)
    }
  })
})

describe('faults at the HTTP level', () => {
  let mock: MockKick | undefined
  afterEach(async () => {
    await mock?.close()
    mock = undefined
  })

  it('parses NAME, NAME=FRACTION, NAME=COUNT and slow=MS, and refuses the rest', () => {
    expect(parseFault('waf')).toEqual({ name: 'waf', rate: 1, remaining: Infinity })
    expect(parseFault('waf=0.2')).toEqual({ name: 'waf', rate: 0.2, remaining: Infinity })
    expect(parseFault('server-error=2')).toEqual({ name: 'server-error', rate: 1, remaining: 2 })
    expect(parseFault('slow=250')).toMatchObject({ name: 'slow', delayMs: 250 })
    for (const bad of ['nope', 'waf=0', 'waf=-1', 'waf=1.5', 'waf=lots', 'slow', 'slow=fast', 'slow=999999'])
      expect(() => parseFault(bad)).toThrow(/--fault/)
  })

  it('answers Kick’s edge and server failures in their shapes, a counted fault then stops', async () => {
    mock = await startMockKick({
      devKey: testDevKey(),
      faults: ['challenge=1', 'waf=1', 'rate-limit-no-retry-after=1', 'server-error=1'].map(parseFault),
    })
    const token = mock.issueToken({ kind: 'user' }).access_token
    const get = () => call(mock!, 'GET', '/public/v1/users', { token })
    const challenge = await get()
    expect(challenge.status).toBe(403)
    expect(challenge.headers.get('content-type')).toMatch(/^text\/html/)
    expect(challenge.text).toContain('<title>Just a moment...</title>')
    const waf = await get()
    expect(waf.status).toBe(403)
    expect(waf.body).toEqual({ error: 'Request blocked by security policy.', reference: expect.any(String) })
    const limited = await get()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeNull()
    const failed = await get()
    expect(failed.status).toBe(500)
    expect(failed.body).toEqual({ data: null, message: 'Internal server error' })
    expect((await get()).status).toBe(200)
  })

  it('a fraction fails about that share of answers', async () => {
    mock = await startMockKick({ devKey: testDevKey(), faults: [parseFault('server-error=0.5')] })
    const token = mock.issueToken({ kind: 'user' }).access_token
    const statuses: number[] = []
    for (let i = 0; i < 60; i++)
      statuses.push((await call(mock, 'GET', '/public/v1/users', { token })).status)
    // 60 draws at one half: fewer than 10 of either is a chance under one in a million
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(10)
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(10)
  })

  it('bot-chat-500 fails bot messages only; user messages still validate', async () => {
    mock = await startMockKick({ devKey: testDevKey(), faults: [parseFault('bot-chat-500')] })
    const token = mock.issueToken({ kind: 'user' }).access_token
    const bot = await call(mock, 'POST', '/public/v1/chat', { token, json: { type: 'bot', content: 'hi' } })
    expect(bot.status).toBe(500)
    const user = await call(mock, 'POST', '/public/v1/chat', {
      token,
      json: { type: 'user', content: '', broadcaster_user_id: ME },
    })
    expect(user.status).toBe(400)
  })

  it('redirect-rewrite turns the first 127.0.0.1 of the authorize URL into localhost', async () => {
    mock = await startMockKick({ devKey: testDevKey(), faults: [parseFault('redirect-rewrite')] })
    const query = (extra: string) =>
      `/oauth/authorize?client_id=x&response_type=code${extra}&redirect_uri=${encodeURIComponent(
        'http://127.0.0.1:3000/callback',
      )}&state=s&scope=user%3Aread&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`
    const plain = await call(mock, 'GET', query(''))
    expect(plain.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/callback\?code=/)
    // the documented workaround: a sacrificial parameter before redirect_uri takes the rewrite
    const shielded = await call(mock, 'GET', query('&redirect=127.0.0.1'))
    expect(shielded.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:3000\/callback\?code=/)
  })

  it('webhook-retry sends a delivery twice with the same id, timestamp and signature', async () => {
    const receiver = await webhookReceiver()
    try {
      mock = await startMockKick({
        devKey: testDevKey(),
        webhookUrl: receiver.url,
        faults: [parseFault('webhook-retry')],
      })
      await mock.trigger('channel.followed')
      expect(receiver.received).toHaveLength(2)
      const [first, second] = receiver.received
      for (const header of ['kick-event-message-id', 'kick-event-message-timestamp', 'kick-event-signature'])
        expect(second!.headers[header]).toBe(first!.headers[header])
      expect(second!.body).toBe(first!.body)
    } finally {
      await receiver.close()
    }
  })
})

describe('Kick’s observed answers (docs/kick-behaviour.md)', () => {
  let mock: MockKick
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>
  let user: string
  let app: string
  beforeAll(async () => {
    receiver = await webhookReceiver()
    mock = await startMockKick({ devKey: testDevKey(), webhookUrl: receiver.url })
    user = mock.issueToken({ kind: 'user' }).access_token
    app = mock.issueToken({ kind: 'app' }).access_token
  })
  afterAll(async () => {
    await mock.close()
    await receiver.close()
  })

  it('an app token on GET channels without a parameter: Kick’s 400, word for word (KDD#140)', async () => {
    const answer = await call(mock, 'GET', '/public/v1/channels', { token: app })
    expect(answer.status).toBe(400)
    expect(answer.text).toBe(
      '{"data":"broadcaster_user_id is required for app tokens","message":"Bad request"}',
    )
    // with a parameter the app token reads channels; a user token without one reads its own
    const bySlug = await call(mock, 'GET', '/public/v1/channels?slug=mockstreamer', { token: app })
    expect(bySlug.body.data).toEqual([expect.objectContaining({ broadcaster_user_id: ME })])
    const own = await call(mock, 'GET', '/public/v1/channels', { token: user })
    expect(own.body.data).toEqual([expect.objectContaining({ broadcaster_user_id: ME })])
  })

  it('an app token on GET users without an id: the same rule and shape (an invention: not observed)', async () => {
    const answer = await call(mock, 'GET', '/public/v1/users', { token: app })
    expect(answer.status).toBe(400)
    expect(answer.text).toBe('{"data":"id is required for app tokens","message":"Bad request"}')
    const byId = await call(mock, 'GET', `/public/v1/users?id=${BOT}`, { token: app })
    expect(byId.body.data).toEqual([expect.objectContaining({ user_id: BOT, email: '' })])
  })

  it('the drops endpoints’ 401 has "data":null, as their page documents', async () => {
    for (const token of [undefined, 'made-up']) {
      const list = await call(mock, 'GET', '/public/v1/drops/claims', { token })
      expect(list.status).toBe(401)
      expect(list.text).toBe('{"data":null,"message":"Unauthorized"}')
      const update = await call(mock, 'PATCH', '/public/v1/drops/claims', { token, json: { claims: [] } })
      expect(update.text).toBe('{"data":null,"message":"Unauthorized"}')
    }
    // elsewhere the observed {} stays
    expect((await call(mock, 'GET', '/public/v1/channels')).text).toBe('{"data":{},"message":"Unauthorized"}')
  })

  it('a chat message’s created_at carries nanoseconds, as real payloads do', async () => {
    await call(mock, 'POST', '/public/v1/events/subscriptions', {
      token: user,
      json: { method: 'webhook', events: [{ name: 'chat.message.sent', version: 1 }] },
    })
    const before = receiver.received.length
    const sent = await call(mock, 'POST', '/public/v1/chat', {
      token: user,
      json: { type: 'user', content: 'hi', broadcaster_user_id: ME },
    })
    expect(sent.status).toBe(200)
    await call(mock, 'POST', '/mock/trigger/chat.message.sent', { json: {} })
    await expect.poll(() => receiver.received.length).toBe(before + 2)
    for (const delivery of receiver.received.slice(before)) {
      const stamp = (JSON.parse(delivery.body) as { created_at: string }).created_at
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
      expect(Math.abs(Date.parse(stamp) - Date.now())).toBeLessThan(3_600_000)
    }
  })
})

describe('subscriptions Kick does not keep, or keeps twice', () => {
  let mock: MockKick | undefined
  afterEach(async () => {
    await mock?.close()
    mock = undefined
  })

  const subscribe = (token: string, names: string[]) =>
    call(mock!, 'POST', '/public/v1/events/subscriptions', {
      token,
      json: { method: 'webhook', events: names.map((name) => ({ name, version: 1 })) },
    })

  it('subscriptions-not-kept: 200 with an id, then missing from the listing (KDD#419)', async () => {
    mock = await startMockKick({ devKey: testDevKey(), faults: [parseFault('subscriptions-not-kept=1')] })
    const user = mock.issueToken({ kind: 'user' }).access_token
    const answer = await subscribe(user, ['channel.followed', 'kicks.gifted'])
    expect(answer.status).toBe(200)
    const ids = (answer.body.data as { subscription_id: string }[]).map((result) => result.subscription_id)
    expect(ids).toEqual([expect.stringMatching(ULID), expect.stringMatching(ULID)])
    const listed = await call(mock, 'GET', '/public/v1/events/subscriptions', { token: user })
    // the first was the one the count let happen: only the second is kept
    expect((listed.body.data as { id: string }[]).map((sub) => sub.id)).toEqual([ids[1]])
  })

  it('subscriptions-duplicated: one subscription listed twice, under two ids', async () => {
    mock = await startMockKick({ devKey: testDevKey(), faults: [parseFault('subscriptions-duplicated')] })
    const user = mock.issueToken({ kind: 'user' }).access_token
    const answer = await subscribe(user, ['channel.followed'])
    const listed = await call(mock, 'GET', '/public/v1/events/subscriptions', { token: user })
    const subs = listed.body.data as { id: string; event: string }[]
    expect(subs.map((sub) => sub.event)).toEqual(['channel.followed', 'channel.followed'])
    expect(subs.map((sub) => sub.id)).toContain(answer.body.data[0].subscription_id)
    expect(new Set(subs.map((sub) => sub.id)).size).toBe(2)
  })
})
