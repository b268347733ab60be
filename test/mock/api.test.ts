import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { SCOPES } from '../../src/kick/endpoints.js'
import { parseFault } from '../../src/mock/faults.js'
import { type MockKick, startMockKick } from '../../src/mock/server.js'
import { bearer, callMock, testDevKey } from './mock-helpers.js'

const ME = 100001

describe('the mock API', () => {
  let mock: MockKick
  let user: string
  let app: string
  beforeAll(async () => {
    mock = await startMockKick({ devKey: testDevKey() })
    user = mock.issueToken({ kind: 'user' }).access_token
    app = mock.issueToken({ kind: 'app' }).access_token
  })
  afterAll(() => mock.close())

  const call = (method: string, path: string, options: { token?: string; json?: unknown } = {}) =>
    callMock(mock.url, method, path, { ...options, token: options.token ?? user })

  describe('tokens and scopes, from the endpoint table', () => {
    it('answers 401 in Kick’s shape without a token or with an unknown one', async () => {
      for (const token of ['', 'made-up-token']) {
        const { status, body } = await call('GET', '/public/v1/users', { token })
        expect(status).toBe(401)
        expect(body).toEqual({ data: {}, message: 'Unauthorized' })
      }
    })

    it('refuses a user token without the endpoint’s scope with 403 naming the scope', async () => {
      const scopeless = mock.issueToken({ kind: 'user', scopes: ['user:read'] }).access_token
      const { status, body, text } = await call('POST', '/public/v1/chat', {
        token: scopeless,
        json: { type: 'bot', content: 'hi' },
      })
      expect(status).toBe(403)
      expect(body).toEqual({ data: null, message: 'Forbidden: missing scope chat:write' })
      expect(text).not.toContain(scopeless)
      expect(mock.state.messages.size).toBe(0)
      const rewards = await call('GET', '/public/v1/channels/rewards', { token: scopeless })
      expect(rewards.body.message).toBe(
        'Forbidden: missing scope channel:rewards:read or channel:rewards:write',
      )
    })

    it('tells user-only endpoints from app-only ones: an app token where a user token is needed is 401, as on Kick', async () => {
      const withApp = await call('GET', '/public/v1/channels/rewards', { token: app })
      expect(withApp.status).toBe(401)
      expect(withApp.body).toEqual({ data: {}, message: 'Unauthorized' })
      const chat = await call('POST', '/public/v1/chat', {
        token: app,
        json: { type: 'user', content: 'hi', broadcaster_user_id: ME },
      })
      expect(chat.status).toBe(401)
      expect(chat.body).toEqual({ data: {}, message: 'Unauthorized' })
      const drops = await call('GET', '/public/v1/drops/claims', { token: user })
      expect(drops.status).toBe(403)
      expect(drops.body.message).toBe(
        'Forbidden: this endpoint needs an app access token (client credentials)',
      )
      // "any" endpoints take both, and scopes bind user tokens only
      expect((await call('GET', '/public/v1/channels?slug=mockstreamer', { token: app })).status).toBe(200)
    })

    it('answers 404 for paths Kick does not have and 405 for a known path with another method', async () => {
      expect((await call('GET', '/public/v1/nothing')).status).toBe(404)
      const wrong = await call('PUT', '/public/v1/users')
      expect(wrong.status).toBe(405)
      expect(wrong.body).toEqual({ data: null, message: 'Method Not Allowed' })
    })
  })

  it('users: the token owner with email, others by id without it', async () => {
    const me = await call('GET', '/public/v1/users')
    expect(me.body).toEqual({
      data: [
        {
          user_id: ME,
          name: 'mockstreamer',
          email: 'mockstreamer@example.com',
          profile_picture: expect.stringMatching(/^https:\/\/files\.kick\.com\//),
        },
      ],
      message: 'OK',
    })
    const others = await call('GET', '/public/v1/users?id=100002&id=999&id=100003')
    expect(others.body.data.map((u: { name: string; email: string }) => [u.name, u.email])).toEqual([
      ['mockbot', ''],
      ['chatter_one', ''],
    ])
  })

  it('channels: by slug, by id, own with stream key; unknown ones are missing from a 200', async () => {
    const own = await call('GET', '/public/v1/channels')
    const channel = own.body.data[0]
    expect(Object.keys(channel).sort()).toEqual([
      'active_subscribers_count',
      'banner_picture',
      'broadcaster_user_id',
      'canceled_subscribers_count',
      'category',
      'channel_description',
      'slug',
      'stream',
      'stream_title',
    ])
    expect(channel.category).toEqual({ id: 15, name: 'Just Chatting', thumbnail: expect.any(String) })
    expect(channel.stream).toMatchObject({
      is_live: true,
      key: 'sk_us-west-2_mock100001',
      custom_tags: ['english', 'dev'],
    })

    const bySlug = await call(
      'GET',
      '/public/v1/channels?slug=streamer02&slug=no-such-channel&slug=streamer01',
    )
    expect(bySlug.body.data.map((c: { slug: string }) => c.slug)).toEqual(['streamer02', 'streamer01'])
    expect(bySlug.body.data[0].stream.key).toBe('')
    expect(bySlug.body.data[0]).not.toHaveProperty('active_subscribers_count')

    const unknown = await call('GET', '/public/v1/channels?slug=non-existing-user')
    expect(unknown.status).toBe(200)
    expect(unknown.body).toEqual({ data: [], message: 'OK' })
    const both = await call('GET', '/public/v1/channels?slug=a&broadcaster_user_id=1')
    expect(both.status).toBe(400)
  })

  it('channels update: 204 with no body, and the change is kept', async () => {
    const response = await call('PATCH', '/public/v1/channels', {
      json: { stream_title: 'New title', category_id: 1003, custom_tags: ['a', 'b'] },
    })
    expect(response.status).toBe(204)
    expect(response.text).toBe('')
    const { body } = await call('GET', `/public/v1/channels?broadcaster_user_id=${ME}`)
    expect(body.data[0]).toMatchObject({ stream_title: 'New title', category: { id: 1003 } })
    expect(body.data[0].stream.custom_tags).toEqual(['a', 'b'])
    const bad = await call('PATCH', '/public/v1/channels', { json: { category_id: 424242 } })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ data: 'category_id is not a known category', message: 'Bad request' })
  })

  it('rewards: list, create, update, delete', async () => {
    const list = await call('GET', '/public/v1/channels/rewards')
    expect(list.body.data.map((r: { title: string }) => r.title)).toEqual([
      'Song Request',
      'Hydrate!',
      'Unban Request',
      'VIP for a day',
    ])
    const created = await call('POST', '/public/v1/channels/rewards', {
      json: { title: 'Shout-out', cost: 250 },
    })
    expect(created.status).toBe(200)
    expect(created.body.data).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      title: 'Shout-out',
      description: '',
      cost: 250,
      background_color: '#00e701',
      is_enabled: true,
      is_paused: false,
      is_user_input_required: false,
      should_redemptions_skip_request_queue: false,
    })
    const id = created.body.data.id
    const updated = await call('PATCH', `/public/v1/channels/rewards/${id}`, {
      json: { cost: 300, is_paused: true },
    })
    expect(updated.body.data).toMatchObject({ id, cost: 300, is_paused: true })
    expect(
      (await call('POST', '/public/v1/channels/rewards', { json: { title: 'x', cost: 0 } })).body,
    ).toEqual({ data: 'cost must be an integer of at least 1', message: 'Bad request' })
    const dashboard = list.body.data[3].id
    const notOwned = await call('PATCH', `/public/v1/channels/rewards/${dashboard}`, { json: { cost: 1 } })
    expect(notOwned.status).toBe(403)
    const deleted = await call('DELETE', `/public/v1/channels/rewards/${id}`)
    expect(deleted.status).toBe(204)
    expect((await call('DELETE', `/public/v1/channels/rewards/${id}`)).status).toBe(404)
  })

  it('redemptions: grouped by reward, filtered, accepted with per-id failures', async () => {
    const pending = await call('GET', '/public/v1/channels/rewards/redemptions?status=pending')
    expect(pending.body.pagination).toEqual({ next_cursor: '' })
    const groups = pending.body.data as { reward: Record<string, unknown>; redemptions: { id: string }[] }[]
    expect(groups.map((g) => [g.reward.title, g.redemptions.length, g.reward.can_manage])).toEqual([
      ['Song Request', 2, true],
      ['Hydrate!', 2, true],
      ['Unban Request', 1, true],
      ['VIP for a day', 1, false],
    ])
    expect(groups[0]!.redemptions[0]).toEqual({
      id: expect.any(String),
      redeemed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      redeemer: { user_id: 100003 },
      status: 'pending',
      user_input: 'https://youtu.be/dQw4w9WgXcQ',
    })
    const songId = groups[0]!.redemptions[0]!.id
    const vipId = groups[3]!.redemptions[0]!.id
    const accepted = await call('POST', '/public/v1/channels/rewards/redemptions/accept', {
      json: { ids: [songId, vipId, '01KEWZ2RKYZZFGD154K50Y3F8D'] },
    })
    expect(accepted.body).toEqual({
      data: [
        { id: vipId, reason: 'NOT_OWNED' },
        { id: '01KEWZ2RKYZZFGD154K50Y3F8D', reason: 'NOT_FOUND' },
      ],
      message: 'OK',
    })
    const again = await call('POST', '/public/v1/channels/rewards/redemptions/reject', {
      json: { ids: [songId] },
    })
    expect(again.body.data).toEqual([{ id: songId, reason: 'NOT_PENDING' }])
    const byId = await call('GET', `/public/v1/channels/rewards/redemptions?id=${songId}`)
    expect(byId.body.data[0].redemptions).toEqual([
      expect.objectContaining({ id: songId, status: 'accepted' }),
    ])
    expect(
      (await call('POST', '/public/v1/channels/rewards/redemptions/accept', { json: { ids: [] } })).status,
    ).toBe(400)
  })

  it('chat: send as user and bot, reply, delete', async () => {
    const sent = await call('POST', '/public/v1/chat', {
      json: { type: 'user', content: 'hello chat', broadcaster_user_id: 200001 },
    })
    expect(sent.body).toEqual({
      data: { is_sent: true, message_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      message: 'OK',
    })
    const bot = await call('POST', '/public/v1/chat', {
      json: { type: 'bot', content: 'beep', reply_to_message_id: sent.body.data.message_id },
    })
    expect(mock.state.messages.get(bot.body.data.message_id)).toMatchObject({
      broadcaster_user_id: ME,
      reply_to_message_id: sent.body.data.message_id,
    })
    const tooLong = await call('POST', '/public/v1/chat', { json: { type: 'bot', content: 'x'.repeat(501) } })
    expect(tooLong.body).toEqual({ data: 'content must be at most 500 characters', message: 'Bad request' })
    expect((await call('DELETE', `/public/v1/chat/${sent.body.data.message_id}`)).status).toBe(204)
    expect((await call('DELETE', `/public/v1/chat/${sent.body.data.message_id}`)).status).toBe(404)
  })

  it('moderation: ban, timeout, unban with a JSON body on DELETE', async () => {
    const ban = await call('POST', '/public/v1/moderation/bans', {
      json: { broadcaster_user_id: ME, user_id: 100004, reason: 'spam' },
    })
    expect(ban.body).toEqual({ data: {}, message: 'OK' })
    const timeout = await call('POST', '/public/v1/moderation/bans', {
      json: { broadcaster_user_id: ME, user_id: 100005, duration: 10 },
    })
    expect(timeout.status).toBe(200)
    expect(mock.state.activeBan(ME, 100005)?.expires_at).toMatch(/Z$/)
    expect(mock.state.activeBan(ME, 100004)?.expires_at).toBeNull()
    const unban = await call('DELETE', '/public/v1/moderation/bans', {
      json: { broadcaster_user_id: ME, user_id: 100004 },
    })
    expect(unban.body).toEqual({ data: {}, message: 'OK' })
    expect(mock.state.activeBan(ME, 100004)).toBeUndefined()
    const tooLong = await call('POST', '/public/v1/moderation/bans', {
      json: { broadcaster_user_id: ME, user_id: 100003, duration: 10081 },
    })
    expect(tooLong.status).toBe(400)
  })

  it('livestreams v2 page to the end with opaque cursors; v1 sorts and filters; stats count them', async () => {
    const seen: string[] = []
    let cursor = ''
    let pages = 0
    do {
      const { body } = await call(
        'GET',
        `/public/v2/livestreams?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          token: app,
        },
      )
      pages++
      seen.push(...body.data.map((s: { id: string }) => s.id))
      cursor = body.pagination.next_cursor
    } while (cursor)
    const stats = await call('GET', '/public/v1/livestreams/stats', { token: app })
    expect(stats.body).toEqual({ data: { total_count: 31 }, message: 'OK' })
    expect(seen).toHaveLength(31)
    expect(new Set(seen).size).toBe(31)
    expect(pages).toBe(5)
    const first = await call('GET', '/public/v2/livestreams?limit=1')
    expect(Object.keys(first.body.data[0]).sort()).toEqual(
      [
        'broadcaster_user',
        'category',
        'channel',
        'has_mature_content',
        'id',
        'language_code',
        'started_at',
        'tags',
        'thumbnail',
        'title',
        'viewer_count',
      ].sort(),
    )
    expect(Buffer.from(first.body.pagination.next_cursor, 'base64').toString()).toBe('{"c_cursor":1}')

    const v1 = await call('GET', '/public/v1/livestreams?limit=3&sort=viewer_count')
    const viewers = v1.body.data.map((s: { viewer_count: number }) => s.viewer_count)
    expect(viewers).toEqual([...viewers].sort((a: number, b: number) => b - a))
    expect(v1.body).not.toHaveProperty('pagination')
    const one = await call('GET', `/public/v1/livestreams?broadcaster_user_id=${ME}`)
    expect(one.body.data).toEqual([
      expect.objectContaining({ broadcaster_user_id: ME, channel_id: ME, slug: 'mockstreamer' }),
    ])
    expect((await call('GET', '/public/v1/livestreams?limit=101')).status).toBe(400)
  })

  it('categories: v2 pages to the end and filters; v1 search and get', async () => {
    const names: string[] = []
    let cursor = ''
    do {
      const { body } = await call(
        'GET',
        `/public/v2/categories${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      expect(body.data.length).toBeLessThanOrEqual(25)
      names.push(...body.data.map((c: { name: string }) => c.name))
      cursor = body.pagination.next_cursor
    } while (cursor)
    expect(names).toHaveLength(mock.state.categories.size)
    expect(mock.state.categories.size).toBeGreaterThan(50)
    const filtered = await call('GET', '/public/v2/categories?name=chess,poker&tag=strategy')
    expect(filtered.body.data).toEqual([
      { id: expect.any(Number), name: 'Chess', tags: ['strategy'], thumbnail: expect.any(String) },
    ])
    const search = await call('GET', '/public/v1/categories?q=sim')
    expect(search.body.data.map((c: { name: string }) => c.name)).toContain('Gaming Cafe Simulator')
    expect(Object.keys(search.body.data[0]).sort()).toEqual(['id', 'name', 'thumbnail'])
    const get = await call('GET', '/public/v1/categories/15')
    expect(get.body.data).toEqual({
      id: 15,
      name: 'Just Chatting',
      tags: ['irl'],
      thumbnail: expect.any(String),
      viewer_count: expect.any(Number),
    })
    expect((await call('GET', '/public/v1/categories/99999')).status).toBe(404)
  })

  it('kicks leaderboard honours top', async () => {
    const { body } = await call('GET', '/public/v1/kicks/leaderboard?top=2')
    expect(body.data.lifetime).toEqual([
      { rank: 1, user_id: 100006, username: 'generous_gifter', gifted_amount: 25000 },
      { rank: 2, user_id: 100003, username: 'chatter_one', gifted_amount: 4200 },
    ])
    expect(Object.keys(body.data)).toEqual(['lifetime', 'month', 'week'])
  })

  it('public key: the dev key as Kick serves its own, no token needed and no trailing newline', async () => {
    const response = await fetch(`${mock.url}/public/v1/public-key`)
    const body = (await response.json()) as { data: { public_key: string }; message: string }
    expect(body).toEqual({ data: { public_key: testDevKey().publicKeyPem.trimEnd() }, message: 'OK' })
    // Kick's: 450 characters, ending in the END line with no line break after it
    expect(body.data.public_key).toHaveLength(450)
    expect(body.data.public_key.endsWith('-----END PUBLIC KEY-----')).toBe(true)
  })

  it('event subscriptions: subscribe (user and app tokens), list, unsubscribe', async () => {
    const subscribed = await call('POST', '/public/v1/events/subscriptions', {
      json: {
        method: 'webhook',
        events: [
          { name: 'chat.message.sent', version: 1 },
          { name: 'nope', version: 1 },
        ],
      },
    })
    expect(subscribed.body.data).toEqual([
      { name: 'chat.message.sent', version: 1, subscription_id: expect.stringMatching(/^[0-9A-Z]{26}$/) },
      { name: 'nope', version: 1, error: expect.stringContaining('unknown event') },
    ])
    const noBroadcaster = await call('POST', '/public/v1/events/subscriptions', {
      token: app,
      json: { method: 'webhook', events: [{ name: 'channel.followed', version: 1 }] },
    })
    expect(noBroadcaster.status).toBe(400)
    const byApp = await call('POST', '/public/v1/events/subscriptions', {
      token: app,
      json: {
        method: 'webhook',
        events: [{ name: 'channel.followed', version: 1 }],
        broadcaster_user_id: 200003,
      },
    })
    expect(byApp.status).toBe(200)
    const list = await call('GET', '/public/v1/events/subscriptions')
    expect(list.body.data).toEqual([
      {
        app_id: expect.any(String),
        broadcaster_user_id: ME,
        created_at: expect.any(String),
        event: 'chat.message.sent',
        id: subscribed.body.data[0].subscription_id,
        method: 'webhook',
        updated_at: expect.any(String),
        version: 1,
      },
    ])
    const removed = await call(
      'DELETE',
      `/public/v1/events/subscriptions?id=${subscribed.body.data[0].subscription_id}`,
    )
    expect(removed.status).toBe(204)
    expect((await call('GET', '/public/v1/events/subscriptions')).body.data).toEqual([])
    expect((await call('GET', '/public/v1/events/subscriptions', { token: app })).body.data).toHaveLength(1)
  })

  it('drops claims: data.cursor pages to the end; update answers 204', async () => {
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const { body }: { body: { data: { claims: { claim_id: string }[]; cursor: string | null } } } =
        await call('GET', `/public/v1/drops/claims?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
          token: app,
        })
      ids.push(...body.data.claims.map((c) => c.claim_id))
      cursor = body.data.cursor
    } while (cursor)
    expect(ids).toHaveLength(25)
    expect(new Set(ids).size).toBe(25)
    const updated = await call('PATCH', '/public/v1/drops/claims', {
      token: app,
      json: { claims: [{ claim_id: ids[7], external_status: 'processed' }] },
    })
    expect(updated.status).toBe(204)
    expect(mock.state.dropsClaims.get(ids[7]!)?.external_status).toBe('processed')
  })

  it('every API endpoint answers something other than 404/405/501 (routes come from the table)', async () => {
    const { endpoints, endpointIds, fillPath } = await import('../../src/kick/endpoints.js')
    const all = mock.issueToken({ kind: 'user', scopes: [...SCOPES] }).access_token
    for (const id of endpointIds()) {
      const endpoint = endpoints[id]
      const path = fillPath(endpoint.path, { id: 'X', message_id: 'X', category_id: '15' })
      const response = await fetch(`${mock.url}${path}`, {
        method: endpoint.method,
        headers: bearer(endpoint.token === 'app' ? app : all),
        redirect: 'manual',
      })
      expect(
        [404, 405, 501].includes(response.status) && !/Not Found: /.test(await response.text()),
        id,
      ).toBe(false)
    }
  })
})

describe('the mock rate limit', () => {
  /** Four calls to a mock with a budget of three: the statuses and the last answer's Retry-After. */
  async function spendBudget(faults: string[] = []) {
    const mock = await startMockKick({ devKey: testDevKey(), rateLimit: 3, faults: faults.map(parseFault) })
    try {
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${mock.url}/public/v1/public-key`)
        statuses.push(response.status)
        if (response.status === 429) {
          retryAfter = response.headers.get('retry-after')
          expect(await response.json()).toEqual({ data: null, message: 'Too Many Requests' })
        }
      }
      return { statuses, retryAfter }
    } finally {
      await mock.close()
    }
  }

  it('answers 429 without Retry-After once the budget is spent, as Kick does (KDD#311)', async () => {
    expect(await spendBudget()).toEqual({ statuses: [200, 200, 200, 429], retryAfter: null })
  })

  it('--fault rate-limit-retry-after=SECONDS adds the header to those 429s', async () => {
    expect(await spendBudget(['rate-limit-retry-after=7'])).toEqual({
      statuses: [200, 200, 200, 429],
      retryAfter: '7',
    })
  })

  it('--fault rate-limit-retry-after=SECONDS alone answers every request 429 with the header', async () => {
    const mock = await startMockKick({
      devKey: testDevKey(),
      faults: [parseFault('rate-limit-retry-after=3')],
    })
    try {
      const response = await fetch(`${mock.url}/public/v2/categories`)
      expect(response.status).toBe(429)
      expect(response.headers.get('retry-after')).toBe('3')
    } finally {
      await mock.close()
    }
    for (const bad of ['rate-limit-retry-after', 'rate-limit-retry-after=soon', 'rate-limit-retry-after=0.5'])
      expect(() => parseFault(bad)).toThrow(/rate-limit-retry-after takes seconds/)
  })
})
