import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type MockKick, startMockKick } from '../../src/mock/server.js'
import { bearer, form, pkcePair, testDevKey } from './mock-helpers.js'

const REDIRECT = 'http://127.0.0.1:53682/callback'

/** Kick's answer to a bad, expired or revoked refresh token (REFERENCE "Observed error bodies", KDD#239). */
const INVALID_GRANT_BODY =
  '{"error":"invalid_grant","error_description":"The provided authorization grant (e.g., authorization code, ' +
  'resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection ' +
  'URI used in the authorization request, or was issued to another client."}'

describe('the mock OAuth server', () => {
  let mock: MockKick
  let lines: string[]
  beforeAll(async () => {
    lines = []
    mock = await startMockKick({
      devKey: testDevKey(),
      clientId: 'app-1',
      clientSecret: 's3cret-value',
      log: (line) => lines.push(line),
    })
  })
  afterAll(() => mock.close())

  async function authorize(overrides: Record<string, string | undefined> = {}): Promise<Response> {
    const { challenge } = pkcePair()
    const params: Record<string, string | undefined> = {
      client_id: 'app-1',
      response_type: 'code',
      redirect_uri: REDIRECT,
      state: 'st4te',
      scope: 'user:read chat:write',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    }
    const url = new URL('/oauth/authorize', mock.url)
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, value)
    return fetch(url, { redirect: 'manual' })
  }

  /** Runs authorize and answers the code plus the verifier that goes with it. */
  async function codeFor(scope = 'user:read chat:write'): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkcePair()
    const response = await authorize({ code_challenge: challenge, scope })
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    return { code: location.searchParams.get('code')!, verifier }
  }

  const exchange = (fields: Record<string, string>) =>
    fetch(
      `${mock.url}/oauth/token`,
      form({
        grant_type: 'authorization_code',
        client_id: 'app-1',
        client_secret: 's3cret-value',
        redirect_uri: REDIRECT,
        ...fields,
      }),
    )

  it('redirects at once to the redirect URI with a code and the state', async () => {
    const response = await authorize()
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT)
    expect(location.searchParams.get('state')).toBe('st4te')
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9+/=]{40,}$/)
  })

  it.each([
    ['client_id', { client_id: 'other-app' }, 'client_id is not a known app'],
    ['client_id missing', { client_id: undefined }, 'client_id is required'],
    ['response_type', { response_type: 'token' }, 'response_type must be code'],
    ['redirect_uri', { redirect_uri: 'not a url' }, 'redirect_uri must be an absolute http(s) URL'],
    ['state', { state: undefined }, 'state is required'],
    ['scope', { scope: 'user:read chat:everything' }, 'unknown scope chat:everything'],
    ['scope missing', { scope: undefined }, 'scope is required (space-separated scopes)'],
    [
      'code_challenge',
      { code_challenge: 'short' },
      'code_challenge is required (base64url SHA-256 of the verifier)',
    ],
    ['code_challenge_method', { code_challenge_method: 'plain' }, 'code_challenge_method must be S256'],
  ])('refuses a bad %s with 400 and Kick’s error shape', async (_name, overrides, description) => {
    const response = await authorize(overrides)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'Invalid request', error_description: description })
  })

  it('exchanges a code with the right verifier for a user token pair, and the code only once', async () => {
    const { code, verifier } = await codeFor()
    const response = await exchange({ code, code_verifier: verifier })
    expect(response.status).toBe(200)
    const grant = (await response.json()) as Record<string, unknown>
    expect(grant).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9+/=]{48}$/),
      token_type: 'Bearer',
      expires_in: 7200,
      scope: 'user:read chat:write',
      refresh_token: expect.stringMatching(/^[A-Za-z0-9+/=]{48}$/),
    })
    const users = await fetch(`${mock.url}/public/v1/users`, {
      headers: bearer(grant.access_token as string),
    })
    expect(users.status).toBe(200)
    expect(((await users.json()) as { data: { name: string }[] }).data[0]!.name).toBe('mockstreamer')

    const again = await exchange({ code, code_verifier: verifier })
    expect(again.status).toBe(400)
    // Kick's invalid_grant, byte for byte, as for a bad refresh token
    expect(await again.text()).toBe(INVALID_GRANT_BODY)
    // a replayed code takes back what the first exchange issued
    const after = await fetch(`${mock.url}/public/v1/users`, {
      headers: bearer(grant.access_token as string),
    })
    expect(after.status).toBe(401)
  })

  it('refuses a wrong verifier, a different redirect_uri and a wrong client secret', async () => {
    const { code, verifier } = await codeFor()
    const wrongVerifier = await exchange({ code, code_verifier: pkcePair().verifier })
    expect(wrongVerifier.status).toBe(400)
    expect(await wrongVerifier.text()).toBe(INVALID_GRANT_BODY)
    const wrongRedirect = await exchange({
      code,
      code_verifier: verifier,
      redirect_uri: 'http://localhost:53682/callback',
    })
    expect(wrongRedirect.status).toBe(400)
    expect(await wrongRedirect.text()).toBe(INVALID_GRANT_BODY)
    const unknownCode = await exchange({ code: 'not-a-code', code_verifier: verifier })
    expect(unknownCode.status).toBe(400)
    expect(await unknownCode.text()).toBe(INVALID_GRANT_BODY)
    const wrongSecret = await exchange({ code, code_verifier: verifier, client_secret: 'nope' })
    expect(wrongSecret.status).toBe(400)
    const body = await wrongSecret.text()
    expect(JSON.parse(body)).toEqual({
      error: 'Invalid request',
      error_description: 'client_secret does not match the app',
    })
    expect(body).not.toContain('s3cret-value')
    // none of the failures used the code up
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200)
  })

  it('refreshes into a new pair and keeps the old refresh token usable (Kick, since 2025-11)', async () => {
    const { code, verifier } = await codeFor('user:read')
    const first = (await (await exchange({ code, code_verifier: verifier })).json()) as Record<string, string>
    const refresh = (token: string) =>
      fetch(
        `${mock.url}/oauth/token`,
        form({
          grant_type: 'refresh_token',
          client_id: 'app-1',
          client_secret: 's3cret-value',
          refresh_token: token,
        }),
      )
    const second = await refresh(first.refresh_token!)
    expect(second.status).toBe(200)
    const pair = (await second.json()) as Record<string, string>
    expect(pair.access_token).not.toBe(first.access_token)
    expect(pair.refresh_token).not.toBe(first.refresh_token)
    expect(pair.scope).toBe('user:read')
    expect((await refresh(first.refresh_token!)).status).toBe(200)
    const bad = await refresh('not-a-token')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toBe(INVALID_GRANT_BODY)
    // a revoked one answers the same
    mock.state.tokens.revokeRefreshFamily(first.refresh_token!)
    const revoked = await refresh(first.refresh_token!)
    expect(revoked.status).toBe(400)
    expect(await revoked.text()).toBe(INVALID_GRANT_BODY)
  })

  it('issues a 60-day app token with client credentials, without refresh token or scope', async () => {
    const response = await fetch(
      `${mock.url}/oauth/token`,
      form({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 's3cret-value' }),
    )
    expect(await response.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 5184000,
    })
  })

  it('introspects user and app tokens, then revokes one (query params) so it is inactive and refused', async () => {
    const user = mock.issueToken({ kind: 'user', scopes: ['user:read', 'channel:read'] })
    const app = mock.issueToken({ kind: 'app' })
    for (const path of ['/oauth/token/introspect', '/public/v1/token/introspect']) {
      const response = await fetch(`${mock.url}${path}`, {
        method: 'POST',
        headers: bearer(user.access_token),
      })
      const body = (await response.json()) as { data: Record<string, unknown>; message: string }
      expect(body).toEqual({
        data: {
          active: true,
          client_id: 'app-1',
          token_type: 'user',
          scope: 'user:read channel:read',
          exp: expect.any(Number),
        },
        message: 'OK',
      })
      expect(body.data.exp as number).toBeGreaterThan(Date.now() / 1000 + 7000)
    }
    const appInfo = await fetch(`${mock.url}/oauth/token/introspect`, {
      method: 'POST',
      headers: bearer(app.access_token),
    })
    expect(((await appInfo.json()) as { data: { token_type: string } }).data.token_type).toBe('app')

    const revoked = await fetch(
      `${mock.url}/oauth/revoke?token=${encodeURIComponent(user.access_token)}&token_hint_type=access_token`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    )
    expect(revoked.status).toBe(200)
    expect(await revoked.text()).toBe('OK')
    const inactive = await fetch(`${mock.url}/oauth/token/introspect`, {
      method: 'POST',
      headers: bearer(user.access_token),
    })
    expect(await inactive.json()).toEqual({
      data: { active: false, client_id: null, token_type: null, scope: null, exp: null },
      message: 'OK',
    })
    const refused = await fetch(`${mock.url}/public/v1/users`, { headers: bearer(user.access_token) })
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ data: {}, message: 'Unauthorized' })
    expect(lines.join('\n')).not.toContain(user.access_token)
  })

  it('revokes a refresh token from a form body, taking its access tokens along', async () => {
    const user = mock.issueToken({ kind: 'user', scopes: ['user:read'] })
    const response = await fetch(
      `${mock.url}/oauth/revoke`,
      form({ token: user.refresh_token!, token_hint_type: 'refresh_token' }),
    )
    expect(await response.text()).toBe('OK')
    expect((await fetch(`${mock.url}/public/v1/users`, { headers: bearer(user.access_token) })).status).toBe(
      401,
    )
    const bad = await fetch(`${mock.url}/oauth/revoke`, form({ token: 'x', token_hint_type: 'id_token' }))
    expect(bad.status).toBe(400)
  })

  it('refuses an expired access token with 401', async () => {
    const user = mock.issueToken({ kind: 'user', expiresIn: -1 })
    const response = await fetch(`${mock.url}/public/v1/users`, { headers: bearer(user.access_token) })
    expect(response.status).toBe(401)
  })
})
