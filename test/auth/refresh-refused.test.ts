import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MockKick } from '../../src/mock/server.js'
import { AuthWorld, authWorldHooks, freePort, keyringAvailable, readPair, rewritePair } from './harness.js'

const keyring = keyringAvailable()

/** Kick's edge in front of the token endpoint: what Cloudflare and a failing server answer a refresh. */
type Misbehaviour = 'challenge' | 'waf' | 'server-error' | 'bad-gateway'

const CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><p>Verifying you are human. This may take a few seconds.</p></body></html>`

/**
 * A loopback stand-in for id.kick.com that refuses every token request the way Kick's does on a bad day,
 * and counts the refreshes it was asked for.
 */
async function misbehavingTokenEndpoint(): Promise<{
  url: string
  mode: { current: Misbehaviour }
  refreshes: () => number
  close: () => Promise<void>
}> {
  const mode = { current: 'challenge' as Misbehaviour }
  let refreshes = 0
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      if (req.url === '/oauth/token' && new URLSearchParams(body).get('grant_type') === 'refresh_token')
        refreshes++
      switch (mode.current) {
        case 'challenge':
          res.writeHead(403, { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge' })
          return res.end(CHALLENGE)
        case 'waf':
          res.writeHead(403, { 'content-type': 'application/json' })
          return res.end('{"error":"Request blocked by security policy.","reference":"9e4db7e3"}')
        case 'server-error':
          res.writeHead(500, { 'content-type': 'application/json' })
          return res.end('{"data":null,"message":"Internal server error"}')
        case 'bad-gateway':
          res.writeHead(502, { 'content-type': 'text/html' })
          return res.end('<html><body>502 Bad Gateway</body></html>')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode,
    refreshes: () => refreshes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('a refresh refused by Kick’s firewall or server is not a lost login', () => {
  let mock: MockKick
  let world: AuthWorld
  let edge: Awaited<ReturnType<typeof misbehavingTokenEndpoint>>

  authWorldHooks((m, w) => {
    mock = m
    world = w
  })
  beforeAll(async () => {
    edge = await misbehavingTokenEndpoint()
  })
  afterAll(() => edge.close())

  /** Logged in, with the access token about to expire: the next command refreshes first. */
  async function loginDueForRefresh() {
    const login = await world.login('user:read')
    expect(login.code, login.stderr).toBe(0)
    rewritePair(world, keyring, (pair) => (pair.expires_at = Date.now() + 10_000))
    return readPair(world, keyring)!
  }

  const cases: [Misbehaviour, RegExp][] = [
    ['challenge', /^Error: Kick's firewall refused the token refresh \(403 Forbidden: an HTML page[^)]*\)/],
    [
      'waf',
      /^Error: Kick's firewall refused the token refresh \(403 Forbidden: Request blocked by security policy/,
    ],
    ['server-error', /^Error: Kick's server failed the token refresh \(500 Internal Server Error\)/],
    ['bad-gateway', /^Error: Kick's server failed the token refresh \(502 Bad Gateway: an HTML page/],
  ]

  it.each(cases)('%s: exit 1, the pair untouched, the next command refreshes', async (misbehaviour, said) => {
    const before = await loginDueForRefresh()
    edge.mode.current = misbehaviour
    const refreshesBefore = edge.refreshes()
    const refused = await world.kick(['users', 'get'], { KICK_AUTH_URL: edge.url })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    const lines = refused.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(said)
    expect(lines[0]).toMatch(/: the stored login is kept: try again in a moment$/)
    expect(refused.stderr).not.toContain('kick login')
    expect(refused.stderr).not.toMatch(/<|Just a moment/)
    expect(edge.refreshes()).toBe(refreshesBefore + 1)
    expect(readPair(world, keyring)).toEqual(before)

    // Kick's edge lets the next try through: a normal refresh, a new pair stored
    const next = await world.kick(['users', 'get'])
    expect(next.code, next.stderr).toBe(0)
    expect(JSON.parse(next.stdout)[0].user_id).toBe(100001)
    const after = readPair(world, keyring)!
    expect(after.access_token).not.toBe(before.access_token)
    expect(mock.state.tokens.activeAccess(after.access_token)?.kind).toBe('user')
  })

  it('a network failure during the refresh is the same: exit 1, the pair kept', async () => {
    const before = await loginDueForRefresh()
    const closed = `http://127.0.0.1:${await freePort()}`
    const refused = await world.kick(['users', 'get'], { KICK_AUTH_URL: closed })
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toMatch(
      /^Error: could not refresh the token \(could not reach http:\/\/127\.0\.0\.1:\d+: .*\): the stored login is kept: try again in a moment$/,
    )
    expect(readPair(world, keyring)).toEqual(before)
    expect((await world.kick(['users', 'get'])).code).toBe(0)
  })

  it('after a 401, and with kick auth refresh, the firewall’s refusal is exit 1 too', async () => {
    const before = await loginDueForRefresh()
    rewritePair(world, keyring, (pair) => (pair.expires_at = Date.now() + 3_600_000))
    const stored = readPair(world, keyring)!
    mock.state.tokens.access.get(before.access_token)!.revoked = true
    edge.mode.current = 'challenge'
    const afterUnauthorized = await world.kick(['users', 'get'], { KICK_AUTH_URL: edge.url })
    expect(afterUnauthorized.code).toBe(1)
    expect(afterUnauthorized.stderr).toContain("Kick's firewall refused the token refresh")
    const forced = await world.kick(['auth', 'refresh'], { KICK_AUTH_URL: edge.url })
    expect(forced.code).toBe(1)
    expect(forced.stderr).toContain("Kick's firewall refused the token refresh")
    expect(readPair(world, keyring)).toEqual(stored)
  })

  it('a real invalid_grant still means the login is lost: exit 4 and kick login', async () => {
    const before = await loginDueForRefresh()
    mock.state.tokens.revokeRefreshFamily(before.refresh_token!)
    const lost = await world.kick(['users', 'get'])
    expect(lost.code).toBe(4)
    expect(lost.stderr.trim()).toBe(
      `Error: Kick no longer accepts this login (invalid_grant: the refresh token expired, was revoked or ` +
        `belongs to another app): run \`kick login --profile ${world.profile}\``,
    )
  })
})
