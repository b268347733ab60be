import { createHash, timingSafeEqual } from 'node:crypto'

import { type EndpointId, SCOPES, type Scope } from '../kick/endpoints.js'
import type { Handler, MockContext } from './context.js'
import {
  formFields,
  invalidGrant,
  type MockRequest,
  oauthError,
  ok,
  type Reply,
  unauthorized,
} from './http.js'
import { APP_TOKEN_TTL_SECONDS } from './tokens.js'

/**
 * Kick's OAuth server (REFERENCE.md §1) on the mock's port: authorize approves at once, the token endpoint
 * checks PKCE, the redirect URI and the client, revoke and introspect work on what the mock issued.
 */

/** PKCE verifiers and S256 challenges: 43..128 unreserved characters (RFC 7636 §4.1). */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

function parseScopes(value: string | null): Scope[] | string {
  const names = (value ?? '').split(/[\s+]+/).filter(Boolean)
  if (names.length === 0) return 'scope is required (space-separated scopes)'
  const unknown = names.filter((name) => !(SCOPES as readonly string[]).includes(name))
  if (unknown.length) return `unknown scope ${unknown.join(', ')}`
  return [...new Set(names)] as Scope[]
}

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/** Checks client_id (and client_secret for the token endpoint) against `--client-id`/`--client-secret`. */
function clientProblem(
  fields: URLSearchParams,
  context: MockContext,
  checkSecret: boolean,
): string | undefined {
  const clientId = fields.get('client_id')
  if (!clientId) return 'client_id is required'
  if (context.clientId !== undefined && clientId !== context.clientId) return 'client_id is not a known app'
  if (checkSecret && context.clientSecret !== undefined) {
    const secret = fields.get('client_secret')
    if (!secret) return 'client_secret is required'
    if (!sameSecret(secret, context.clientSecret)) return 'client_secret does not match the app'
  }
  return undefined
}

const authorize: Handler = (request, context) => {
  const query = request.query
  const problem =
    clientProblem(query, context, false) ??
    (query.get('response_type') !== 'code' ? 'response_type must be code' : undefined) ??
    (!httpUrl(query.get('redirect_uri') ?? '')
      ? 'redirect_uri must be an absolute http(s) URL'
      : undefined) ??
    (!query.get('state') ? 'state is required' : undefined) ??
    (!PKCE_VALUE.test(query.get('code_challenge') ?? '')
      ? 'code_challenge is required (base64url SHA-256 of the verifier)'
      : undefined) ??
    (query.get('code_challenge_method') !== 'S256' ? 'code_challenge_method must be S256' : undefined)
  if (problem) return oauthError(problem)
  const scopes = parseScopes(query.get('scope'))
  if (typeof scopes === 'string') return oauthError(scopes)

  const redirectUri = query.get('redirect_uri')!
  const code = context.state.tokens.newCode({
    clientId: query.get('client_id')!,
    redirectUri,
    codeChallenge: query.get('code_challenge')!,
    scopes,
    userId: context.state.loginUserId,
  })
  const target = new URL(redirectUri)
  target.searchParams.set('code', code.code)
  target.searchParams.set('state', query.get('state')!)
  return { status: 302, headers: { location: target.href, 'cache-control': 'no-store' } }
}

const noStore = (reply: Reply): Reply => ({
  ...reply,
  headers: { ...reply.headers, 'cache-control': 'no-store' },
})

const token: Handler = (request, context) => {
  const fields = formFields(request)
  const clientError = clientProblem(fields, context, true)
  if (clientError) return oauthError(clientError)
  const clientId = fields.get('client_id')!
  const tokens = context.state.tokens

  switch (fields.get('grant_type')) {
    case 'authorization_code': {
      const missing = ['code', 'redirect_uri', 'code_verifier'].filter((name) => !fields.get(name))
      if (missing.length) return oauthError(`${missing.join(', ')} required`)
      // Kick answers every grant it cannot honour with the one invalid_grant body, whatever the reason
      // (unknown, used, expired, another client's, another redirect URI, a verifier that does not match).
      const code = tokens.codes.get(fields.get('code')!)
      if (!code) return invalidGrant()
      if (code.used) {
        // A replayed code may be a stolen one: take back what the first exchange issued (RFC 6749 §4.1.2).
        if (code.issuedRefreshToken) tokens.revokeRefreshFamily(code.issuedRefreshToken)
        return invalidGrant()
      }
      if (code.expiresAt <= Date.now() || code.clientId !== clientId) return invalidGrant()
      if (code.redirectUri !== fields.get('redirect_uri')) return invalidGrant()
      const verifier = fields.get('code_verifier')!
      if (!PKCE_VALUE.test(verifier)) return oauthError('code_verifier must be 43-128 unreserved characters')
      const challenge = createHash('sha256').update(verifier).digest('base64url')
      if (challenge !== code.codeChallenge) return invalidGrant()
      code.used = true
      const grant = tokens.issueUser({
        clientId,
        scopes: code.scopes,
        userId: code.userId,
        ttlSeconds: context.accessTokenTtl,
      })
      code.issuedRefreshToken = grant.refresh_token
      return noStore({ status: 200, json: grant })
    }
    case 'refresh_token': {
      const value = fields.get('refresh_token')
      if (!value) return oauthError('refresh_token is required')
      const refresh = tokens.activeRefresh(value)
      // unknown, revoked or expired, or another app's: Kick's invalid_grant (KDD#239)
      if (!refresh || refresh.clientId !== clientId) return invalidGrant()
      // Since 2025-11 Kick's refresh tokens are reusable: the old one stays valid, a new pair is issued.
      const grant = tokens.issueUser({
        clientId,
        scopes: refresh.scopes,
        userId: refresh.userId,
        ttlSeconds: context.accessTokenTtl,
      })
      return noStore({ status: 200, json: grant })
    }
    case 'client_credentials':
      return noStore({ status: 200, json: tokens.issueApp({ clientId, ttlSeconds: APP_TOKEN_TTL_SECONDS }) })
    default:
      return oauthError('grant_type must be authorization_code, refresh_token or client_credentials')
  }
}

const revoke: Handler = (request, context) => {
  const fields = formFields(request)
  const value = fields.get('token')
  if (!value) return oauthError('token is required')
  const hint = fields.get('token_hint_type')
  if (hint !== null && hint !== 'access_token' && hint !== 'refresh_token') {
    return oauthError('token_hint_type must be access_token or refresh_token')
  }
  context.state.tokens.revoke(value, hint ?? undefined)
  return { status: 200, text: 'OK' }
}

export function bearer(request: MockRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''))
  return match?.[1]
}

/** The token to inspect is the bearer itself; an unknown, revoked or expired one is `active: false`. */
const introspect: Handler = (request, context) => {
  const value = bearer(request)
  if (!value) return unauthorized()
  const record = context.state.tokens.activeAccess(value)
  if (!record) return ok({ active: false, client_id: null, token_type: null, scope: null, exp: null })
  return ok({
    active: true,
    client_id: record.clientId,
    token_type: record.kind,
    scope: record.scopes.join(' '),
    exp: Math.floor(record.expiresAt / 1000),
  })
}

export const oauthHandlers = {
  oauthAuthorize: authorize,
  oauthToken: token,
  oauthRevoke: revoke,
  oauthIntrospect: introspect,
  tokenIntrospectLegacy: introspect,
} satisfies Partial<Record<EndpointId, Handler>>
