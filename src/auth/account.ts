import { AuthError, KickError } from '../errors.js'
import type { Introspection } from './oauth.js'
import { notLoggedIn, type Session, type StoredLogin, toAccessToken } from './session.js'
import type { AccessToken } from '../kick/token-provider.js'
import { expiresWithin, REFRESH_WINDOW_MS } from './tokens.js'

/** What `kick auth refresh` and friends report about a stored pair (never the tokens themselves). */
export interface TokenSummary {
  profile: string
  scopes: string[]
  expires_at: string
  storage: string
}

export interface LogoutResult {
  profile: string
  /** Kick confirmed the revocation of both tokens */
  revoked: boolean
}

export interface AuthStatus {
  profile: string
  logged_in: boolean
  active: boolean
  user_id: number | null
  name: string | null
  token_kind: 'user' | 'app' | null
  scopes: string[]
  expires_at: string | null
  client_id: string | null
  /** `keychain`, `file <path>`, or `env` (KICK_ACCESS_TOKEN) */
  storage: string
}

export function describeStorage(login: Pick<StoredLogin, 'storage' | 'file'>): string {
  return login.storage === 'file' ? `file ${login.file}` : login.storage
}

function summary(session: Session, login: StoredLogin): TokenSummary {
  return {
    profile: session.profile,
    scopes: login.tokens.scopes,
    expires_at: new Date(login.tokens.expires_at).toISOString(),
    storage: describeStorage(login),
  }
}

/** `kick auth token`: KICK_ACCESS_TOKEN, else the stored user token (refreshed if it expires within 60 s). */
export async function validToken(session: Session, options: { app?: boolean }): Promise<string> {
  if (options.app) return (await session.appToken()).value
  if (process.env.KICK_ACCESS_TOKEN) return process.env.KICK_ACCESS_TOKEN
  const token = await session.userToken()
  if (!token) throw notLoggedIn(session.profile)
  return token.value
}

export async function refreshNow(session: Session): Promise<TokenSummary> {
  return summary(session, await session.refresh({ force: true }))
}

/**
 * Revokes the access and the refresh token at Kick, then deletes the pair. A revocation Kick refuses or
 * cannot be reached for is a warning, not a reason to keep the tokens: the user asked to be logged out.
 */
export async function logout(session: Session, warn: (message: string) => void): Promise<LogoutResult> {
  let login: StoredLogin | undefined
  try {
    login = await session.login()
  } catch (error) {
    // a corrupt pair cannot be revoked, but logging out must still remove it
    if (!(error instanceof AuthError)) throw error
    warn(`${error.message.replace(/: run .*$/, '')}: deleting it without revoking`)
    await session.deleteLogin()
    return { profile: session.profile, revoked: false }
  }
  if (!login)
    throw new KickError(
      `not logged in${session.profile === 'default' ? '' : ` (profile ${session.profile})`}: nothing to log out`,
    )
  const oauth = await session.oauth()
  let revoked = true
  const pending: [string | undefined, 'access_token' | 'refresh_token'][] = [
    [login.tokens.access_token, 'access_token'],
    [login.tokens.refresh_token, 'refresh_token'],
  ]
  for (const [token, hint] of pending) {
    if (!token) continue
    try {
      await oauth.revoke(token, hint)
    } catch (error) {
      revoked = false
      warn(
        `Kick did not revoke the ${hint.replace('_', ' ')} (${(error as Error).message}); deleting it here anyway`,
      )
    }
  }
  await session.deleteLogin()
  return { profile: session.profile, revoked }
}

/** `kick auth status`: the stored (or env) token, introspected at Kick, and who it belongs to. */
export async function authStatus(session: Session, options: { legacy?: boolean }): Promise<AuthStatus> {
  let token: AccessToken
  let storage: string
  let stored: StoredLogin | undefined
  if (process.env.KICK_ACCESS_TOKEN) {
    token = { value: process.env.KICK_ACCESS_TOKEN, kind: 'user', source: 'env' }
    storage = 'env'
  } else {
    stored = await session.login()
    if (!stored) throw notLoggedIn(session.profile)
    // An expired pair is refreshed first, as any command would; one that cannot be is exit 4 right here.
    if (expiresWithin(stored.tokens.expires_at, REFRESH_WINDOW_MS))
      stored = await session.refresh({ stale: stored.tokens.access_token })
    token = toAccessToken(stored)
    storage = describeStorage(stored)
  }
  const oauth = await session.oauth()
  const info: Introspection = await oauth.introspect(token, options.legacy)
  let user: { user_id: number; name: string } | undefined
  if (info.active && info.token_type !== 'app') {
    try {
      user = await oauth.whoami(token)
    } catch {
      // without user:read Kick does not say who it is; the rest of the status still stands
    }
  }
  const scopes = info.scope ? info.scope.split(/\s+/).filter(Boolean) : (stored?.tokens.scopes ?? [])
  const expires = info.exp ? info.exp * 1000 : stored?.tokens.expires_at
  return {
    profile: session.profile,
    logged_in: true,
    active: Boolean(info.active),
    user_id: user?.user_id ?? null,
    name: user?.name ?? null,
    token_kind: info.token_type ?? (stored ? 'user' : null),
    scopes,
    expires_at: expires ? new Date(expires).toISOString() : null,
    client_id: info.client_id ?? stored?.tokens.client_id ?? null,
    storage,
  }
}
