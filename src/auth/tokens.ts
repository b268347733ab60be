/** What a profile keeps after `kick login`: one keychain entry holding the whole pair as JSON. */
export interface UserTokens {
  access_token: string
  refresh_token?: string
  /** unix ms */
  expires_at: number
  /** unix ms, when kick got the pair: of two stored copies (keychain and file) the later one wins */
  issued_at?: number
  scopes: string[]
  /** the app that issued the pair: a refresh must use the same one */
  client_id?: string
  /** whose login it is, as Kick named the user at login: a later login says whose it replaces */
  user?: { user_id: number; name: string }
}

/** A cached app access token (client credentials), per profile and app. */
export interface AppTokenCache {
  access_token: string
  /** unix ms */
  expires_at: number
  client_id: string
}

/** The OAuth server's answer to any grant (REFERENCE §1.2). */
export interface TokenGrant {
  access_token: string
  token_type?: string
  expires_in?: number | string
  refresh_token?: string
  scope?: string
}

/** A token that expires within this window is refreshed before use (SPEC §3). */
export const REFRESH_WINDOW_MS = 60_000

export function expiresWithin(expiresAt: number, windowMs: number, now = Date.now()): boolean {
  return expiresAt - now <= windowMs
}

/**
 * The pair to store from a grant. A refresh answer may leave out the refresh token or the scopes; then
 * the previous ones still hold.
 */
export function userTokensFromGrant(
  grant: TokenGrant,
  previous: Partial<UserTokens>,
  now = Date.now(),
): UserTokens {
  if (typeof grant.access_token !== 'string' || grant.access_token === '')
    throw new Error('the token answer has no access_token')
  const scopes = typeof grant.scope === 'string' ? grant.scope.split(/[\s,]+/).filter(Boolean) : undefined
  return {
    access_token: grant.access_token,
    refresh_token: grant.refresh_token || previous.refresh_token,
    expires_at: now + expiresInMs(grant),
    issued_at: now,
    scopes: scopes ?? previous.scopes ?? [],
    client_id: previous.client_id,
    user: previous.user,
  }
}

/** `expires_in` in ms; Kick's docs show it as a string placeholder, real answers send an integer. */
export function expiresInMs(grant: TokenGrant): number {
  const seconds = Number(grant.expires_in)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000
}

/** Parses a stored pair; undefined when it is not one (the caller reports it as corrupt, naming where). */
export function parseUserTokens(text: string | undefined): UserTokens | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as Partial<UserTokens>
    if (typeof value.access_token !== 'string' || typeof value.expires_at !== 'number') return undefined
    return {
      access_token: value.access_token,
      refresh_token: typeof value.refresh_token === 'string' ? value.refresh_token : undefined,
      expires_at: value.expires_at,
      issued_at: typeof value.issued_at === 'number' ? value.issued_at : undefined,
      scopes: Array.isArray(value.scopes) ? value.scopes.filter((s) => typeof s === 'string') : [],
      client_id: typeof value.client_id === 'string' ? value.client_id : undefined,
      user:
        typeof value.user?.user_id === 'number' && typeof value.user.name === 'string'
          ? { user_id: value.user.user_id, name: value.user.name }
          : undefined,
    }
  } catch {
    return undefined
  }
}

export function parseAppToken(text: string | undefined): AppTokenCache | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as Partial<AppTokenCache>
    if (
      typeof value.access_token !== 'string' ||
      typeof value.expires_at !== 'number' ||
      typeof value.client_id !== 'string'
    )
      return undefined
    return { access_token: value.access_token, expires_at: value.expires_at, client_id: value.client_id }
  } catch {
    return undefined
  }
}

/**
 * Of two stored pairs, the one kick got later: by issue time (a pair stored before kick recorded it counts as
 * older than one that has it), then by expiry.
 */
export function newerPair(a: UserTokens, b: UserTokens): UserTokens {
  const issued = (a.issued_at ?? 0) - (b.issued_at ?? 0)
  if (issued !== 0) return issued > 0 ? a : b
  return b.expires_at > a.expires_at ? b : a
}
