import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { FixtureServer, ok } from '../helpers/fixture-server.js'
import { useFixtureKick } from '../helpers/fixture-kick.js'

/** How the client fails, retries, traces and picks its server, seen from outside: the real binary. */
describe('kick client behaviour', () => {
  const { fixture, kick } = useFixtureKick()

  const lines = (text: string) => text.split('\n').filter(Boolean)

  it("400: exit 1, one line with Kick's own message", async () => {
    fixture().stub('GET', '/public/v1/categories/15', {
      status: 400,
      json: { data: {}, message: 'category_id must be a valid category' },
    })
    const result = await kick(['categories', 'get', '15'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'Warning: GET /public/v1/categories/{category_id} is deprecated by Kick since 2026-01-15: use `kick categories list --id ID`',
      'Error: Kick answered 400 Bad Request: category_id must be a valid category',
    ])
  })

  it('401 on KICK_ACCESS_TOKEN: exit 4, the environment token was rejected (kick login cannot help)', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', {
      status: 401,
      json: { data: null, message: 'Unauthorized' },
    })
    const result = await kick(['livestreams', 'stats'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'Error: Kick rejected the token in KICK_ACCESS_TOKEN (401 Unauthorized): set a valid one, or unset it to use the stored login\n',
    )
  })

  it('403 from the API without a reason: exit 1 with the status, no login advice', async () => {
    fixture().stub('GET', '/public/v1/kicks/leaderboard', {
      status: 403,
      json: { data: null, message: 'Forbidden' },
    })
    const result = await kick(['kicks', 'leaderboard'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('Error: Kick refused the request (403 Forbidden)\n')
  })

  it("403 from Kick's edge firewall: exit 1, try again (not a login problem)", async () => {
    fixture().stub('GET', '/public/v1/kicks/leaderboard', {
      status: 403,
      json: { error: 'Request blocked by security policy.', reference: '9e4db7e3' },
    })
    const result = await kick(['kicks', 'leaderboard'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "Error: Kick's edge firewall blocked the request (403 Forbidden: Request blocked by security policy.): try again in a moment\n",
    )
  })

  it('429 then 200 with Retry-After: 0 succeeds after 2 requests', async () => {
    fixture().stub(
      'GET',
      '/public/v1/livestreams/stats',
      { status: 429, headers: { 'retry-after': '0' }, json: { data: null, message: 'Too Many Requests' } },
      ok({ total_count: 7 }),
    )
    const result = await kick(['livestreams', 'stats'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ total_count: 7 })
    expect(fixture().requests).toHaveLength(2)
  })

  it('429 six times: exit 1 after 5 retries, also for a POST (Kick did not process it)', async () => {
    const limited = {
      status: 429,
      headers: { 'retry-after': '0' },
      json: { data: null, message: 'Too Many Requests' },
    }
    fixture().stub('POST', '/public/v1/events/subscriptions', ...Array(6).fill(limited))
    const result = await kick(['events', 'subscribe', 'kicks.gifted', '--broadcaster-id', '1'])
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'Error: Kick is rate limiting this app (429 Too Many Requests) and still was after every retry: wait a minute and try again',
    ])
    expect(fixture().requests).toHaveLength(6)
  })

  it('500 on a GET is retried: 3 requests, then exit 1', async () => {
    const failing = { status: 500, json: { data: null, message: 'Internal server error' } }
    fixture().stub('GET', '/public/v1/livestreams/stats', failing, failing, failing)
    const result = await kick(['livestreams', 'stats'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('Error: Kick answered 500 Internal Server Error\n')
    expect(fixture().requests).toHaveLength(3)
  })

  it('500 on a POST is not retried (it may have been processed): 1 request', async () => {
    fixture().stub('POST', '/public/v1/events/subscriptions', {
      status: 500,
      json: { data: null, message: 'Internal server error' },
    })
    const result = await kick(['events', 'subscribe', 'kicks.gifted', '--broadcaster-id', '1'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('Error: Kick answered 500 Internal Server Error\n')
    expect(fixture().requests).toHaveLength(1)
  })

  it('a refused connection: exit 1, one line naming the server', async () => {
    const port = await closedPort()
    const result = await kick(['livestreams', 'stats'], { KICK_API_URL: `http://127.0.0.1:${port}` })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`Error: could not reach http://127.0.0.1:${port}: ECONNREFUSED\n`)
  })

  it('an invalid flag: exit 2, one line, no request', async () => {
    const result = await kick(['livestreams', 'stats', '--bogus'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('Error: Nonexistent flag: --bogus: see `kick livestreams stats --help`\n')
    expect(fixture().requests).toHaveLength(0)
  })

  it('--verbose traces request and response on stderr with the token redacted, never printing it', async () => {
    const secret = 'MDJMMWNMZDETOKEN48CHARSLONGSECRETVALUEXYZ0123456'
    fixture().stub('GET', '/public/v1/kicks/leaderboard', ok({ lifetime: [], month: [], week: [] }))
    const result = await kick(['kicks', 'leaderboard', '--top', '5', '--verbose'], {
      KICK_ACCESS_TOKEN: secret,
    })
    expect(result.code).toBe(0)
    const trace = lines(result.stderr)
    expect(trace).toContain(`> GET ${fixture().url}/public/v1/kicks/leaderboard?top=5`)
    expect(trace.map((line) => line.toLowerCase())).toContain('> authorization: bearer [redacted]')
    expect(trace.some((line) => /^< 200 OK \(\d+ ms\)$/.test(line))).toBe(true)
    expect(result.stdout).not.toContain(secret)
    expect(result.stderr).not.toContain(secret)
    expect(fixture().requests[0]!.headers.authorization).toBe(`Bearer ${secret}`)
  })

  it('no colour codes when stdout/stderr are not terminals, with or without NO_COLOR', async () => {
    for (const noColor of [undefined, '1']) {
      fixture().stub('GET', '/public/v1/categories', {
        status: 400,
        json: { data: null, message: 'q is required' },
      })
      const result = await kick(['categories', 'search', 'x'], { NO_COLOR: noColor, FORCE_COLOR: undefined })
      expect(result.code).toBe(1)
      expect(lines(result.stderr)).toEqual([
        'Warning: GET /public/v1/categories is deprecated by Kick since 2026-01-15: use `kick categories list --name NAME`',
        'Error: Kick answered 400 Bad Request: q is required',
      ])
      expect(result.stderr + result.stdout).not.toContain('\u001B[')

      fixture().stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 1 }))
      const json = await kick(['livestreams', 'stats', '--json'], { NO_COLOR: noColor })
      expect(json.stdout).toBe('{\n  "total_count": 1\n}\n')
    }
  })

  it('JSON on a pipe stays plain even with FORCE_COLOR (it is for jq, not for eyes)', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 1, live: true }))
    const json = await kick(['livestreams', 'stats'], { FORCE_COLOR: '1' })
    expect(json.stdout).toBe('{\n  "total_count": 1,\n  "live": true\n}\n')
  })

  it("KICK_PROFILE and --profile pick the profile's api-url from the config file", async () => {
    const other = await FixtureServer.start()
    try {
      const config = mkdtempSync(join(tmpdir(), 'kick-config-'))
      mkdirSync(join(config, 'kick'))
      writeFileSync(
        join(config, 'kick', 'config.json'),
        JSON.stringify({
          profiles: { default: { 'api-url': other.url }, bot: { 'api-url': fixture().url } },
        }),
      )
      const profileEnv = { KICK_API_URL: undefined, XDG_CONFIG_HOME: config }
      fixture().stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 1 }), ok({ total_count: 2 }))
      other.stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 3 }))

      const byFlag = await kick(['livestreams', 'stats', '--profile', 'bot'], profileEnv)
      const byEnv = await kick(['livestreams', 'stats'], { ...profileEnv, KICK_PROFILE: 'bot' })
      const byDefault = await kick(['livestreams', 'stats'], profileEnv)
      expect([byFlag, byEnv, byDefault].map((result) => [result.code, JSON.parse(result.stdout)])).toEqual([
        [0, { total_count: 1 }],
        [0, { total_count: 2 }],
        [0, { total_count: 3 }],
      ])
      other.verify()
    } finally {
      await other.close()
    }
  })

  it('--paginate --json streams five pages as ONE valid JSON array, items in order', async () => {
    const pages = Array.from({ length: 5 }, (_, page) =>
      Array.from({ length: 40 }, (_, i) => ({
        id: page * 40 + i,
        name: `c${page * 40 + i}`,
        tags: [],
        thumbnail: '',
      })),
    )
    fixture().stub(
      'GET',
      '/public/v2/categories',
      ...pages.map((items, page) =>
        ok(items, { pagination: { next_cursor: page < 4 ? `p${page + 1}` : null } }),
      ),
    )
    const result = await kick(['categories', 'list', '--paginate', '--json', '--limit', '40'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(pages.flat())
    expect(result.stdout.startsWith('[\n')).toBe(true)
    expect(result.stdout.endsWith('\n]\n')).toBe(true)
    expect(fixture().requests.map((request) => request.query.get('cursor'))).toEqual([
      null,
      'p1',
      'p2',
      'p3',
      'p4',
    ])
  })
})

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// issue 21 item 12: a success whose body is not Kick's envelope fails in the client, for every command
describe("an answer that is not Kick's envelope", () => {
  const { fixture, kick } = useFixtureKick()

  const cases: { args: string[]; path: string; answer: { json?: unknown; body?: string }; said: string }[] = [
    {
      args: ['users', 'get'],
      path: '/public/v1/users',
      answer: { json: [] },
      said: `GET /public/v1/users answered 200 with [], not Kick's {"data": […]} answer`,
    },
    {
      args: ['users', 'get', '--id', '1'],
      path: '/public/v1/users',
      answer: { json: null },
      said: `GET /public/v1/users answered 200 with null, not Kick's {"data": […]} answer`,
    },
    {
      args: ['livestreams', 'stats'],
      path: '/public/v1/livestreams/stats',
      answer: { json: 'a string' },
      said: `GET /public/v1/livestreams/stats answered 200 with "a string", not Kick's {"data": {…}} answer`,
    },
    {
      args: ['channels', 'get', '--slug', 'xqc'],
      path: '/public/v1/channels',
      answer: { json: {} },
      said: `GET /public/v1/channels answered 200 with {}, not Kick's {"data": […]} answer`,
    },
    {
      args: ['livestreams', 'list'],
      path: '/public/v2/livestreams',
      answer: { json: { message: 'OK' } },
      said: `GET /public/v2/livestreams answered 200 with {"message":"OK"} (no "data"), not Kick's {"data": […]} answer`,
    },
    {
      args: ['rewards', 'list'],
      path: '/public/v1/channels/rewards',
      answer: { body: '<!DOCTYPE html><html><body>Just a moment…</body></html>' },
      said:
        'GET /public/v1/channels/rewards answered 200 with a body that is not JSON (an HTML page, likely a ' +
        `Cloudflare challenge), not Kick's {"data": […]} answer`,
    },
    {
      args: ['events', 'list'],
      path: '/public/v1/events/subscriptions',
      answer: { json: { data: null, message: 'OK' } },
      said: 'GET /public/v1/events/subscriptions answered 200 with "data": null, not the list Kick sends',
    },
    {
      args: ['kicks', 'leaderboard'],
      path: '/public/v1/kicks/leaderboard',
      answer: { json: { data: [], message: 'OK' } },
      said: 'GET /public/v1/kicks/leaderboard answered 200 with "data": [], not the object Kick sends',
    },
    {
      args: ['public-key'],
      path: '/public/v1/public-key',
      answer: { body: '' },
      said: `GET /public/v1/public-key answered 200 with an empty body, not Kick's {"data": {…}} answer`,
    },
  ]

  for (const { args, path, answer, said } of cases) {
    it(`kick ${args.join(' ')} given ${answer.body === undefined ? JSON.stringify(answer.json) : 'a non-JSON body'}: one line naming the endpoint, exit 1`, async () => {
      fixture().stub('GET', path, answer)
      const result = await kick(args)
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: `Error: ${said}\n` })
    })
  }

  it('the OAuth server too: kick auth status given [] for the introspection', async () => {
    fixture().stub('POST', '/oauth/token/introspect', { json: [] })
    const result = await kick(['auth', 'status'], { KICK_AUTH_URL: fixture().url })
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error: POST /oauth/token/introspect answered 200 with [], not a JSON object\n',
    })
  })
})
