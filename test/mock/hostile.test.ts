import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { rawGet, rawRequest } from '../helpers/raw-http.js'
import { MockProcess, webhookReceiver } from './mock-process.js'

/**
 * `kick mock start` beside a browser: any web page can send requests to 127.0.0.1 (simple ones without a
 * CORS preflight), and a page whose DNS name is rebound to 127.0.0.1 can read the answers too. None of that
 * may change the mock's state, end it, or reach its answers (issue 21 items 1 and 2).
 */
describe('kick mock start against hostile requests', () => {
  let mock: MockProcess
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>
  let port: number

  beforeAll(async () => {
    receiver = await webhookReceiver()
    mock = await MockProcess.start(['--webhook-url', receiver.url])
    port = Number(new URL(mock.url).port)
  })
  afterAll(async () => {
    const stopped = await mock.stop()
    await receiver.close()
    // it ran to the end: a signal stopped it, nothing else did
    expect(stopped.code).toBe(0)
  })

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${mock.url}${path}`, { method: 'POST', headers, body })

  /** The mock's clock offset, read with a request that moves it by nothing. */
  const clockOffset = async (): Promise<number> => {
    const answer = await post('/mock/clock', '{"advance_seconds":0}', { 'content-type': 'application/json' })
    return ((await answer.json()) as { data: { offset_seconds: number } }).data.offset_seconds
  }

  it('takes the /mock/ routes only as application/json: a text/plain or form POST (no preflight) is 415', async () => {
    const set = '{"set":{"__proto__.headers":{"bad header":"x"}}}'
    // the curl: -X POST -H 'Content-Type: text/plain' $KICK_API_URL/mock/trigger/kicks.gifted --data …
    const plain = await post('/mock/trigger/kicks.gifted', set, { 'content-type': 'text/plain' })
    expect(plain.status).toBe(415)
    expect(plain.headers.get('x-kick-mock')).toBe('1')
    expect(await plain.json()).toEqual({
      data: null,
      message: 'Unsupported Media Type: the mock routes take Content-Type: application/json',
    })
    const advance = '{"advance_seconds":600}'
    for (const type of [
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ])
      expect((await post('/mock/clock', advance, { 'content-type': type })).status).toBe(415)
    // no Content-Type at all (an empty POST is a simple request too)
    expect((await fetch(`${mock.url}/mock/clock`, { method: 'POST' })).status).toBe(415)
    expect(await clockOffset()).toBe(0)
    // JSON with parameters is JSON
    const json = await post('/mock/clock', advance, { 'content-type': 'Application/JSON; charset=utf-8' })
    expect(json.status).toBe(200)
    expect(await clockOffset()).toBe(600)
  })

  it('survives a set path through __proto__ sent as JSON, and later answers carry no polluted header', async () => {
    const json = { 'content-type': 'application/json' }
    for (const headers of [{ 'bad header': 'x' }, { 'x-polluted': '1' }]) {
      const answer = await post(
        '/mock/trigger/kicks.gifted',
        JSON.stringify({ set: { '__proto__.headers': headers } }),
        json,
      )
      expect(answer.status).toBe(400)
    }
    for (const path of ['/public/v1/public-key', '/mock/clock']) {
      const after = await fetch(`${mock.url}${path}`, { method: 'POST', headers: json, body: '{}' })
      expect(after.status).toBeLessThan(500)
      expect(after.headers.get('x-polluted')).toBeNull()
    }
    expect(mock.child.exitCode).toBeNull()
  })

  it('refuses a Host that is not a loopback name or address (DNS rebinding) with 403, on every route', async () => {
    for (const host of [
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
    ]) {
      for (const target of ['/public/v1/public-key', '/oauth/authorize?client_id=x', '/mock/tokens']) {
        const rebound = await rawGet(port, target, { host })
        expect(rebound.status, `${host} ${target}`).toBe(403)
        expect(rebound.text).toContain('DNS rebinding')
      }
    }
    // loopback names and any address (a rebound page's Host is a name, never an address) are served
    for (const host of [
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `kick.localhost:${port}`,
      `127.0.0.1:${port}`,
      '127.0.0.1',
      `[::1]:${port}`,
      `192.168.1.20:${port}`,
    ])
      expect((await rawGet(port, '/public/v1/public-key', { host })).status, host).toBe(200)
  })

  it('--allowed-host serves a name of your own (a docker-compose service), and still no other', async () => {
    const named = await MockProcess.start(['--allowed-host', 'kick-mock', '--allowed-host', 'Mock.Internal'])
    try {
      const namedPort = Number(new URL(named.url).port)
      for (const host of [`kick-mock:${namedPort}`, 'mock.internal'])
        expect((await rawGet(namedPort, '/public/v1/public-key', { host })).status, host).toBe(200)
      const other = await rawGet(namedPort, '/public/v1/public-key', { host: 'evil.example' })
      expect(other.status).toBe(403)
      expect(other.text).toContain('kick mock start --allowed-host NAME serves a name of your own')
    } finally {
      await named.stop()
    }
  })

  it('answers any malformed request with a 4xx and goes on serving', async () => {
    const answers: Record<string, number> = {}
    for (const target of [
      '//',
      '//public/v1/users',
      'http://evil.example/public/v1/public-key',
      '*',
      '/%E0%A4%A',
      '/public/v1/users?id=%E0%A4%A&id=%',
      '/mock/trigger/%E0%A4%A',
    ])
      answers[target] = (await rawGet(port, target)).status
    expect(answers).toEqual({
      '//': 404,
      '//public/v1/users': 404,
      'http://evil.example/public/v1/public-key': 400,
      '*': 400,
      '/%E0%A4%A': 404,
      '/public/v1/users?id=%E0%A4%A&id=%': 401,
      '/mock/trigger/%E0%A4%A': 405,
    })
    // a head over Node's 16 KiB, a head that is not HTTP, a body cut short: Node's own 4xx
    const huge = await rawGet(port, '/public/v1/public-key', { headers: [`X-Big: ${'a'.repeat(20_000)}`] })
    expect(huge.status).toBe(431)
    expect((await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n')).status).toBe(400)
    const cut = await rawRequest(
      port,
      `POST /mock/clock HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"adv`,
    )
    expect(cut.status).toBe(400)

    const key = await fetch(`${mock.url}/public/v1/public-key`)
    expect(key.status).toBe(200)
    expect(mock.child.exitCode).toBeNull()
  })
})
