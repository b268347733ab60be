import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { FixtureServer, ok } from '../helpers/fixture-server.js'
import { runKick } from '../helpers/run-kick.js'
import { TOKEN, useFixtureKick } from '../helpers/fixture-kick.js'

describe('kick api', () => {
  const { fixture, kick: kickWithApi } = useFixtureKick()
  let auth: FixtureServer
  beforeAll(async () => (auth = await FixtureServer.start()))
  afterAll(() => auth.close())
  beforeEach(() => auth.reset())
  afterEach(() => auth.verify())
  // Every run also gets the auth server, so a request that wrongly goes there fails verify().
  const kick = (args: string[], env: Record<string, string | undefined> = {}) =>
    kickWithApi(args, { KICK_AUTH_URL: auth.url, ...env })
  const withStdin = (args: string[], input: string) =>
    runKick(args, {
      env: { KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: fixture().url, KICK_AUTH_URL: auth.url },
      input,
    })
  const dir = mkdtempSync(join(tmpdir(), 'kick-api-'))

  it('GETs /public/v1/PATH and prints the body byte for byte, then a newline', async () => {
    const body = '{"data":[{"user_id":1,"name":"a"}],"message":"OK"}'
    fixture().stub('GET', '/public/v1/users', { body, headers: { 'content-type': 'application/json' } })
    const result = await kick(['api', 'users'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${body}\n`)
    expect(fixture().requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('takes flags before the path, repeated ones included, and accepts --json like every command', async () => {
    const body = '{"data":[],"message":"OK"}\n'
    fixture().stub('GET', '/public/v1/users', { body })
    const result = await kick(['api', '-X', 'GET', '-F', 'id=1', '-F', 'id=2', '--json', 'users'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    // a body that ends in a newline gets no second one
    expect(result.stdout).toBe(body)
    expect(fixture().requests[0]!.query.getAll('id')).toEqual(['1', '2'])
  })

  it("without a path: one usage line, none of the parser's notes, exit 2", async () => {
    const result = await kick(['api', '-X', 'GET', '-F', 'id=1'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('Error: missing argument PATH: see `kick api --help`\n')
  })

  it('uses a /public/ path as is and keeps a query written into PATH', async () => {
    fixture().stub('GET', '/public/v2/categories', ok([]))
    const result = await kick([
      'api',
      '/public/v2/categories?limit=5',
      '-X',
      'get',
      '-f',
      'name=a,b',
      '-F',
      'id=1',
      '-F',
      'id=2',
    ])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.query.toString()).toBe('limit=5&name=a%2Cb&id=1&id=2')
  })

  it('POSTs -f strings and -F typed values (numbers, booleans, null, @file, key[]) as a JSON body', async () => {
    const file = join(dir, 'content.txt')
    writeFileSync(file, 'from a file')
    fixture().stub('POST', '/public/v1/chat', ok({ is_sent: true, message_id: 'm' }))
    const result = await kick([
      'api',
      'chat',
      '-f',
      'type=user',
      '-f',
      'n=007',
      '-F',
      'broadcaster_user_id=42',
      '-F',
      'ratio=1.5',
      '-F',
      'on=true',
      '-F',
      'off=false',
      '-F',
      'nothing=null',
      '-F',
      `content=@${file}`,
      '-f',
      'ids[]=A',
    ])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ data: { is_sent: true, message_id: 'm' }, message: 'OK' })
    expect(fixture().requests[0]!.headers['content-type']).toContain('application/json')
    expect(fixture().requests[0]!.json).toEqual({
      type: 'user',
      n: '007',
      ids: ['A'],
      broadcaster_user_id: 42,
      ratio: 1.5,
      on: true,
      off: false,
      nothing: null,
      content: 'from a file',
    })
  })

  it('-F key=@- reads the value from stdin; repeated body keys make an array', async () => {
    fixture().stub('DELETE', '/public/v1/moderation/bans', ok({}))
    const result = await withStdin(
      ['api', 'moderation/bans', '-X', 'DELETE', '-F', 'reason=@-', '-F', 'user_id=1', '-F', 'user_id=2'],
      'piped text',
    )
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ reason: 'piped text', user_id: [1, 2] })
  })

  it('--input sends a file as the raw body, fields going to the query, with extra headers', async () => {
    const file = join(dir, 'body.json')
    writeFileSync(file, '{"method":"webhook","events":[]}')
    fixture().stub('POST', '/public/v1/events/subscriptions', ok([]))
    const result = await kick([
      'api',
      'events/subscriptions',
      '--input',
      file,
      '-f',
      'x=1',
      '-H',
      'X-Trace: abc',
    ])
    expect(result.code).toBe(0)
    const request = fixture().requests[0]!
    expect(request.body).toBe('{"method":"webhook","events":[]}')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['x-trace']).toBe('abc')
    expect(request.query.toString()).toBe('x=1')
  })

  it('--input - reads the body from stdin and -X sets the method', async () => {
    fixture().stub('PATCH', '/public/v1/channels', { status: 204 })
    const result = await withStdin(
      ['api', 'channels', '-X', 'PATCH', '--input', '-'],
      '{"stream_title":"hi"}',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(fixture().requests[0]!.json).toEqual({ stream_title: 'hi' })
  })

  it('-i prints the status line and headers before the body', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', {
      body: '{"data":{"total_count":1}}',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
    })
    const result = await kick(['api', 'livestreams/stats', '-i'])
    expect(result.code).toBe(0)
    const [head, body] = result.stdout.split('\n\n')
    const lines = head!.split('\n')
    expect(lines[0]).toBe('HTTP/1.1 200 OK')
    expect(lines).toContain('Content-Type: application/json')
    expect(lines).toContain('X-Request-Id: r1')
    expect(body).toBe('{"data":{"total_count":1}}\n')
  })

  it("prints the body of a failed answer, then exits 1 with Kick's message on one line", async () => {
    const body = '{"data":null,"message":"Invalid request: content is too long"}'
    fixture().stub('POST', '/public/v1/chat', {
      status: 400,
      body,
      headers: { 'content-type': 'application/json' },
    })
    const result = await kick(['api', 'chat', '-f', 'content=x'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(`${body}\n`)
    expect(result.stderr).toBe('Error: Kick answered 400 Bad Request: Invalid request: content is too long\n')
  })

  it('exits 4 on a 401, after printing the body', async () => {
    fixture().stub('GET', '/public/v1/users', { status: 401, json: { data: null, message: 'Unauthorized' } })
    const result = await kick(['api', 'users'])
    expect(result.code).toBe(4)
    expect(JSON.parse(result.stdout)).toEqual({ data: null, message: 'Unauthorized' })
    expect(result.stderr).toBe(
      'Error: Kick rejected the token in KICK_ACCESS_TOKEN (401 Unauthorized): set a valid one, or unset it to use the stored login\n',
    )
  })

  it('--paginate follows pagination.next_cursor and prints one array of the items', async () => {
    fixture().stub(
      'GET',
      '/public/v2/livestreams',
      ok([{ id: 1 }, { id: 2 }], { pagination: { next_cursor: 'p2' } }),
      ok([{ id: 3 }], { pagination: { next_cursor: '' } }),
    )
    const result = await kick(['api', '/public/v2/livestreams', '--paginate', '-X', 'GET', '-F', 'limit=2'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(fixture().requests.map((request) => request.query.toString())).toEqual([
      'limit=2',
      'limit=2&cursor=p2',
    ])
  })

  it('--paginate follows data.cursor (drops claims)', async () => {
    fixture().stub(
      'GET',
      '/public/v1/drops/claims',
      ok({ claims: [{ claim_id: 'A' }], cursor: 'A' }),
      ok({ claims: [{ claim_id: 'B' }], cursor: 'B' }),
      ok({ claims: [], cursor: '' }),
    )
    const result = await kick(['api', 'drops/claims', '--paginate'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ claim_id: 'A' }, { claim_id: 'B' }])
  })

  it('--paginate keeps stdout valid JSON when a later page fails, and exits 1', async () => {
    fixture().stub('GET', '/public/v2/categories', ok([{ id: 1 }], { pagination: { next_cursor: 'p2' } }), {
      status: 400,
      json: { data: null, message: 'bad cursor' },
    })
    const result = await kick(['api', '/public/v2/categories', '--paginate'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual([{ id: 1 }])
    expect(result.stderr).toBe('Error: Kick answered 400 Bad Request: bad cursor\n')
  })

  it('sends /oauth/ paths to the auth host, as a form when the table says so, without a bearer token', async () => {
    auth.stub('POST', '/oauth/revoke', { body: 'OK' })
    const result = await kick([
      'api',
      '/oauth/revoke',
      '-f',
      'token=abc',
      '-f',
      'token_hint_type=access_token',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('OK\n')
    expect(auth.requests[0]!.form?.toString()).toBe('token=abc&token_hint_type=access_token')
    expect(auth.requests[0]!.headers.authorization).toBeUndefined()
    expect(fixture().requests).toHaveLength(0)
  })

  it('sends no token to an endpoint the table marks public (public-key)', async () => {
    fixture().stub('GET', '/public/v1/public-key', ok({ public_key: 'PEM' }))
    const result = await kick(['api', 'public-key'], { KICK_ACCESS_TOKEN: undefined })
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.headers.authorization).toBeUndefined()
  })

  it('--app uses an app token from client credentials, even with KICK_ACCESS_TOKEN set', async () => {
    auth.stub('POST', '/oauth/token', {
      json: { access_token: 'APP-TOKEN-1f2e3d4c5b6a', token_type: 'Bearer', expires_in: 5184000 },
    })
    fixture().stub('GET', '/public/v1/drops/claims', ok({ claims: [], cursor: null }))
    const result = await kick(['api', 'drops/claims', '--app'], {
      KICK_CLIENT_ID: 'client-1',
      KICK_CLIENT_SECRET: 'shh',
    })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ data: { claims: [], cursor: null }, message: 'OK' })
    expect(auth.requests[0]!.form?.get('grant_type')).toBe('client_credentials')
    expect(fixture().requests[0]!.headers.authorization).toBe('Bearer APP-TOKEN-1f2e3d4c5b6a')
    expect(result.stderr).not.toContain('APP-TOKEN-1f2e3d4c5b6a')
  })

  it.each([
    [['https://evil.example/public/v1/users'], 'PATH is a path such as /public/v1/users, not a URL'],
    [['users', '-X', 'FETCH'], 'unknown method FETCH'],
    [['users', '-f', 'novalue'], 'field "novalue" is not key=value'],
    [['users', '-H', 'NoColon'], 'header "NoColon" is not \'Name: value\''],
    [['chat', '-X', 'POST', '--paginate'], '--paginate only works with GET'],
    [['users', '-F', 'a=@/nonexistent/file'], 'cannot read /nonexistent/file: ENOENT'],
    [['users', '--input', '-', '-F', 'a=@-'], 'stdin can feed --input - or a field'],
    [['users', '--paginate', '-i'], '--include'],
    [['users', '-X', 'GET', '--input', 'body.json'], 'a GET request has no body'],
    [['users', '--jsn'], 'Nonexistent flag: --jsn'],
  ])('refuses %j with exit 2 and no request', async (args, message) => {
    const result = await kick(['api', ...args])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(result.stderr).toContain(message)
    expect(fixture().requests).toHaveLength(0)
  })
})
