import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { fixedTokenProvider } from '../../src/auth/token-provider.js'
import { ApiError, AuthError, KickError } from '../../src/errors.js'
import {
  KickClient,
  type RawResponse,
  apiMessage,
  checkScope,
  errorForResponse,
  retryDelay,
  splitBatch,
  toSearchParams,
} from '../../src/kick/client.js'
import { endpoints } from '../../src/kick/endpoints.js'
import { FixtureServer, ok } from '../helpers/fixture-server.js'

const response = (
  status: number,
  text: string,
  statusText = '',
  extra: Partial<RawResponse> = {},
): RawResponse => ({
  status,
  statusText,
  headers: [],
  text,
  url: 'http://kick.test/x',
  ...extra,
})

const stored = (scopes: string[], profile = 'default') => ({
  value: 't',
  kind: 'user' as const,
  source: 'keychain' as const,
  scopes,
  profile,
})
const fromEnv = { value: 't', kind: 'user' as const, source: 'env' as const }

describe('toSearchParams', () => {
  it('repeats array keys, skips undefined, stringifies the rest in order', () => {
    const params = toSearchParams({
      id: [1, 2],
      slug: ['a b'],
      none: undefined,
      on: true,
      limit: 5,
      empty: [],
    })
    expect(params.toString()).toBe('id=1&id=2&slug=a+b&on=true&limit=5')
  })

  it('answers an empty query for undefined', () => {
    expect(toSearchParams(undefined).toString()).toBe('')
  })
})

describe('splitBatch', () => {
  it('splits a capped query list into chunks of the cap, other keys kept on each', () => {
    const slugs = Array.from({ length: 60 }, (_, i) => `s${i}`)
    const chunks = splitBatch(endpoints.channelsGet, { query: { slug: slugs, extra: 'x' } })
    expect(chunks.map((chunk) => chunk.query?.slug)).toEqual([
      slugs.slice(0, 25),
      slugs.slice(25, 50),
      slugs.slice(50),
    ])
    expect(chunks.every((chunk) => chunk.query?.extra === 'x')).toBe(true)
  })

  it('splits a capped body list (drops claims, 100)', () => {
    const claims = Array.from({ length: 101 }, (_, i) => ({
      claim_id: `c${i}`,
      external_status: 'processed',
    }))
    const chunks = splitBatch(endpoints.dropsClaimsUpdate, { body: { claims } })
    expect(chunks.map((chunk) => (chunk.body?.claims as unknown[]).length)).toEqual([100, 1])
    expect((chunks[1]!.body?.claims as { claim_id: string }[])[0]!.claim_id).toBe('c100')
  })

  it('leaves a list at the cap, a non-list value and an endpoint without a cap alone', () => {
    const atCap = { query: { id: Array.from({ length: 25 }, (_, i) => `r${i}`) } }
    expect(splitBatch(endpoints.redemptionsList, atCap)).toEqual([atCap])
    const single = { query: { slug: 'one' } }
    expect(splitBatch(endpoints.channelsGet, single)).toEqual([single])
    const uncapped = { query: { id: Array.from({ length: 300 }, (_, i) => i) } }
    expect(splitBatch(endpoints.usersGet, uncapped)).toEqual([uncapped])
  })
})

describe('apiMessage', () => {
  it.each([
    ['{"data":null,"message":"Unauthorized"}', 'Unauthorized'],
    ['{"error":"Invalid request"}', 'Invalid request'],
    ['{"error":"invalid_grant","error_description":"code expired"}', 'invalid_grant: code expired'],
    ['{"message":"Bad","error":"Bad"}', 'Bad'],
    // Kick's observed 400s: the detail is a string in data, the message generic
    ['{"data":"Channel not found","message":"Bad request"}', 'Bad request: Channel not found'],
    ['{"data":{}}', undefined],
    ['{"data":"  ","message":""}', undefined],
    ['', undefined],
    [
      '<!DOCTYPE html><html><title>Just a moment...</title></html>',
      'an HTML page, likely a Cloudflare challenge',
    ],
    ['plain   text\nanswer', 'plain text answer'],
    ['x'.repeat(250), `${'x'.repeat(200)}…`],
    [JSON.stringify({ data: 'y'.repeat(5000), message: 'Bad request' }), `Bad request: ${'y'.repeat(300)}…`],
  ])('%j → %j', (text, message) => {
    expect(apiMessage(text)).toBe(message)
  })

  it('leaves out what only repeats the status text, and the status text a message starts with', () => {
    expect(apiMessage('{"data":"Channel not found","message":"Bad request"}', 'Bad Request')).toBe(
      'Channel not found',
    )
    expect(apiMessage('{"data":{},"message":"Unauthorized"}', 'Unauthorized')).toBeUndefined()
    expect(apiMessage('{"data":null,"message":"Not Found: reward"}', 'Not Found')).toBe('reward')
    expect(apiMessage('{"data":"same","message":"Same."}', 'Bad Request')).toBe('Same.')
  })
})

describe('errorForResponse', () => {
  it('says a repeated status text once, and where to find the id after a 404', () => {
    const notFound = response(404, '{"data":null,"message":"Not Found: reward"}', 'Not Found')
    expect(errorForResponse(notFound, endpoints.rewardsDelete).message).toBe(
      'Kick answered 404 Not Found: reward: check the id with `kick rewards list`',
    )
    expect(errorForResponse(notFound, endpoints.chatDelete).message).toBe(
      'Kick answered 404 Not Found: reward: check the id',
    )
    // no id in the path: nothing to check
    expect(
      errorForResponse(response(404, '{"message":"gone"}', 'Not Found'), endpoints.usersGet).message,
    ).toBe('Kick answered 404 Not Found: gone')
  })

  it.each([
    [
      '{"data":"Channel not found","message":"Bad request"}',
      'Kick answered 400 Bad Request: Channel not found',
    ],
    [
      '{"data":"broadcaster_user_id is required for app tokens","message":"Bad request"}',
      'Kick answered 400 Bad Request: broadcaster_user_id is required for app tokens',
    ],
    ['{"data":{},"message":"Bad request"}', 'Kick answered 400 Bad Request'],
    [
      '{"data":"title too long","message":"Validation failed"}',
      'Kick answered 400 Bad Request: Validation failed: title too long',
    ],
  ])("Kick's 400 %s → %j", (body, message) => {
    expect(errorForResponse(response(400, body, 'Bad Request'), endpoints.chatSend).message).toBe(message)
  })

  it('401 → AuthError (exit 4) naming kick login, once without repeating the status text', () => {
    const error = errorForResponse(response(401, '{"data":{},"message":"Unauthorized"}'))
    expect(error).toBeInstanceOf(AuthError)
    expect(error.exitCode).toBe(4)
    expect(error.message).toBe('Kick rejected the token (401 Unauthorized): run `kick login`')
  })

  it('401 on KICK_ACCESS_TOKEN → exit 4 saying the environment token was rejected, no kick login', () => {
    const error = errorForResponse(
      response(401, '{"data":{},"message":"Unauthorized"}', '', { token: fromEnv }),
    )
    expect(error.exitCode).toBe(4)
    expect(error.message).toBe(
      'Kick rejected the token in KICK_ACCESS_TOKEN (401 Unauthorized): set a valid one, or unset it to use the stored login',
    )
  })

  it("403 without a scope reason → exit 1 with Kick's words and no login advice", () => {
    const body = '{"data":"only the app that created a reward may change it","message":"Forbidden"}'
    for (const token of [stored(['channel:rewards:write']), fromEnv, undefined]) {
      const error = errorForResponse(response(403, body, 'Forbidden', { token }), endpoints.rewardsUpdate)
      expect(error.exitCode).toBe(1)
      expect(error.message).toBe(
        'Kick refused the request (403 Forbidden: only the app that created a reward may change it)',
      )
    }
    const bare = errorForResponse(response(403, '{"message":"Forbidden"}'), endpoints.dropsClaimsList)
    expect([bare.exitCode, bare.message]).toEqual([1, 'Kick refused the request (403 Forbidden)'])
  })

  it('403 naming a scope → exit 4; kick login keeps the scopes the profile has and adds the missing one', () => {
    const body = '{"data":"missing scope: moderation:chat_message:manage","message":"Forbidden"}'
    const error = errorForResponse(
      response(403, body, 'Forbidden', { token: stored(['user:read', 'chat:write'], 'bot') }),
      endpoints.chatDelete,
    )
    expect(error.exitCode).toBe(4)
    expect(error.message).toBe(
      'Kick refused the request (403 Forbidden: missing scope: moderation:chat_message:manage): ' +
        'run `kick login --profile bot --scopes user:read,chat:write,moderation:chat_message:manage`',
    )
    const env = errorForResponse(response(403, body, 'Forbidden', { token: fromEnv }), endpoints.chatDelete)
    expect([env.exitCode, env.message]).toEqual([
      4,
      'Kick refused the request (403 Forbidden: missing scope: moderation:chat_message:manage): ' +
        'the token in KICK_ACCESS_TOKEN lacks the moderation:chat_message:manage scope: use one that has it',
    ])
  })

  it("403 when the stored token lacks the endpoint's scope → exit 4, the scope added to the profile's", () => {
    const error = errorForResponse(
      response(403, '{"message":"Forbidden"}', 'Forbidden', { token: stored(['user:read']) }),
      endpoints.chatSend,
    )
    expect(error.exitCode).toBe(4)
    expect(error.message).toBe(
      'Kick refused the request (403 Forbidden): run `kick login --scopes user:read,chat:write`',
    )
  })

  it.each([
    '{"error":"Request blocked by security policy.","reference":"9e4db7e3"}',
    '<html><head><title>Just a moment...</title></head></html>',
  ])('403 from the edge firewall (%s) → exit 1, try again', (text) => {
    const error = errorForResponse(response(403, text), endpoints.chatSend)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(
      /^Kick's edge firewall blocked the request \(403 Forbidden: .*\): try again in a moment$/,
    )
  })

  it('429 → exit 1, gave up after retrying', () => {
    const error = errorForResponse(response(429, '{"message":"Too Many Requests"}'))
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe(
      'Kick is rate limiting this app (429 Too Many Requests) and still was after every retry: wait a minute and try again',
    )
  })

  it('3xx → exit 1, naming where it pointed, redirect not followed', () => {
    const error = errorForResponse(
      response(307, '', 'Temporary Redirect', { headers: [['location', 'https://evil.test/x?token=abc']] }),
      endpoints.usersGet,
    )
    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(
      /^Kick answered 307 Temporary Redirect to https:\/\/evil\.test\/x\?token=.* \(redirect not followed\)$/,
    )
    expect(error.message).not.toContain('abc')
  })

  it("other statuses → exit 1 with the status and Kick's message; the body is the --verbose detail", () => {
    const body = '{"data":{},"message":"title is too long"}'
    const error = errorForResponse(response(400, body, 'Bad Request'), endpoints.channelsUpdate) as ApiError
    expect(error.exitCode).toBe(1)
    expect(error.status).toBe(400)
    expect(error.message).toBe('Kick answered 400 Bad Request: title is too long')
    expect(error.detail).toBe(body)
  })
})

describe('checkScope', () => {
  it('fails fast when a user token lacks every accepted scope, advising its scopes plus the missing one', () => {
    const token = stored(['user:read'])
    expect(() => checkScope(token, endpoints.chatSend)).toThrow(
      new AuthError(
        'this needs the chat:write scope, which your token lacks: run `kick login --scopes user:read,chat:write`',
      ),
    )
    expect(() => checkScope(stored([], 'bot'), endpoints.chatSend)).toThrow(
      'run `kick login --profile bot --scopes chat:write`',
    )
    expect(() =>
      checkScope({ ...token, scopes: ['channel:rewards:write'] }, endpoints.rewardsList),
    ).not.toThrow()
    expect(() => checkScope({ ...token, scopes: undefined }, endpoints.chatSend)).not.toThrow()
    expect(() => checkScope({ ...token, kind: 'app' }, endpoints.chatSend)).not.toThrow()
  })
})

describe('KickClient against a real server', () => {
  let kick: FixtureServer
  let client: KickClient
  const traces: string[] = []
  beforeAll(async () => {
    kick = await FixtureServer.start()
    client = new KickClient({
      settings: { apiUrl: kick.url, authUrl: kick.url },
      tokens: fixedTokenProvider({ value: 'secret-token', kind: 'user', source: 'env' }),
      trace: (line) => traces.push(line),
    })
  })
  afterAll(() => kick.close())
  beforeEach(() => {
    kick.reset()
    traces.length = 0
  })

  it('batches 60 slugs into requests of 25, 25 and 10 and merges the answers in order', async () => {
    const slugs = Array.from({ length: 60 }, (_, i) => `slug${i}`)
    const answer = (request: { query: URLSearchParams }) =>
      ok(request.query.getAll('slug').map((slug) => ({ slug, broadcaster_user_id: Number(slug.slice(4)) })))
    kick.stub('GET', '/public/v1/channels', answer, answer, answer)
    const { data } = await client.call<{ slug: string }[]>('channelsGet', { query: { slug: slugs } })
    expect(kick.requests.map((request) => request.query.getAll('slug').length)).toEqual([25, 25, 10])
    expect(kick.requests.flatMap((request) => request.query.getAll('slug'))).toEqual(slugs)
    expect(data.map((channel) => channel.slug)).toEqual(slugs)
    kick.verify()
  })

  it('a failing batch fails the whole call', async () => {
    kick.stub('GET', '/public/v1/channels', ok([]), { status: 400, json: { message: 'slug too long' } })
    const slugs = Array.from({ length: 30 }, (_, i) => `s${i}`)
    await expect(client.call('channelsGet', { query: { slug: slugs } })).rejects.toThrow(
      'Kick answered 400 Bad Request: slug too long',
    )
    kick.verify()
  })

  it('pages() follows drops claims by the cursor nested in data, and stops on a repeated cursor', async () => {
    kick.stub(
      'GET',
      '/public/v1/drops/claims',
      ok({ claims: [{ claim_id: 'a' }], cursor: 'a' }),
      ok({ claims: [{ claim_id: 'b' }], cursor: 'a' }),
    )
    const pages: unknown[][] = []
    for await (const page of client.pages('dropsClaimsList', { query: { limit: 1 } })) pages.push(page)
    expect(pages).toEqual([[{ claim_id: 'a' }], [{ claim_id: 'b' }]])
    expect(kick.requests.map((request) => request.query.toString())).toEqual(['limit=1', 'limit=1&cursor=a'])
    kick.verify()
  })

  it('an answer that is not JSON is an error that describes it', async () => {
    kick.stub('GET', '/public/v1/livestreams/stats', { body: '<!DOCTYPE html><html>challenge</html>' })
    const error = await client.call('livestreamsStats').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(KickError)
    expect((error as KickError).message).toBe(
      'GET /public/v1/livestreams/stats answered 200 with a body that is not JSON (an HTML page, likely a ' +
        'Cloudflare challenge), not Kick\'s {"data": {…}} answer',
    )
    kick.verify()
  })

  it('sends JSON bodies and forms with their content types, and its User-Agent', async () => {
    kick.stub('POST', '/public/v1/chat', ok({ is_sent: true }))
    kick.stub('POST', '/oauth/revoke', { body: 'OK' })
    const agent = new KickClient({
      settings: { apiUrl: kick.url, authUrl: kick.url },
      tokens: fixedTokenProvider({ value: 'secret-token', kind: 'user', source: 'env' }),
      userAgent: 'kick/9.9.9 test',
    })
    await agent.call('chatSend', { body: { type: 'bot', content: 'hé' } })
    await agent.call('oauthRevoke', { body: { token: 't', token_hint_type: 'access_token' } })
    const [chat, revoke] = kick.requests
    expect(chat!.headers['content-type']).toBe('application/json')
    expect(chat!.json).toEqual({ type: 'bot', content: 'hé' })
    expect(chat!.headers['user-agent']).toBe('kick/9.9.9 test')
    expect(chat!.headers.authorization).toBe('Bearer secret-token')
    expect(revoke!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(revoke!.form?.toString()).toBe('token=t&token_hint_type=access_token')
    kick.verify()
  })

  it('traces the request with the bearer token redacted', async () => {
    kick.stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 1 }))
    await client.call('livestreamsStats')
    expect(traces).toContain(`> GET ${kick.url}/public/v1/livestreams/stats`)
    expect(traces).toContain('> authorization: Bearer [redacted]')
    expect(traces.join('\n')).not.toContain('secret-token')
    kick.verify()
  })
})

describe('retryDelay', () => {
  const answer = (status: number, headers: [string, string][] = []) => ({
    status,
    statusText: '',
    headers,
    text: '',
  })

  it('backs off 0.3 s, 0.6 s… on an idempotent 5xx, at most 3 tries in all', () => {
    expect([1, 2, 3].map((attempt) => retryDelay(answer(502), 'GET', attempt))).toEqual([300, 600, undefined])
    expect(retryDelay(answer(500), 'DELETE', 1)).toBe(300)
    expect(retryDelay(answer(502), 'GET', 10, { tries: 20, rateLimitBaseMs: 2000 })).toBe(8000)
  })

  it('a 429 without Retry-After: 2, 4, 8, 16, 32 s (outlasting a one-minute window), then final', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(answer(429), 'POST', attempt))
    expect(waits).toEqual([2000, 4000, 8000, 16_000, 32_000, undefined])
    expect(waits.slice(0, 5).reduce((sum, wait) => sum! + wait!, 0)).toBeGreaterThan(60_000)
    expect(retryDelay(answer(429), 'GET', 3, { tries: 3, rateLimitBaseMs: 10 })).toBe(40)
  })

  it('does not retry a 5xx on a POST or PATCH, nor any 4xx but 429', () => {
    expect(retryDelay(answer(500), 'POST', 1)).toBeUndefined()
    expect(retryDelay(answer(503), 'PATCH', 1)).toBeUndefined()
    expect(retryDelay(answer(404), 'GET', 1)).toBeUndefined()
    expect(retryDelay(answer(200), 'GET', 1)).toBeUndefined()
  })

  it('waits as Retry-After says, in seconds or as a date, at most a minute', () => {
    expect(retryDelay(answer(429, [['retry-after', '2']]), 'GET', 1)).toBe(2000)
    expect(retryDelay(answer(503, [['retry-after', '0']]), 'GET', 1)).toBe(0)
    expect(retryDelay(answer(429, [['retry-after', '3600']]), 'GET', 1)).toBe(60_000)
    const soon = new Date(Date.now() + 30_000).toUTCString()
    const wait = retryDelay(answer(429, [['retry-after', soon]]), 'GET', 1)!
    expect(wait).toBeGreaterThan(25_000)
    expect(wait).toBeLessThanOrEqual(30_000)
    expect(retryDelay(answer(429, [['retry-after', new Date(0).toUTCString()]]), 'GET', 1)).toBe(0)
    // garbage is ignored: the usual backoff
    expect(retryDelay(answer(429, [['retry-after', 'soon']]), 'GET', 2)).toBe(4000)
  })
})
