import type { Endpoint } from './endpoints.js'

/** A bearer token and what is known about it. */
export interface AccessToken {
  value: string
  kind: 'user' | 'app'
  /** the scopes it carries when known; undefined (e.g. KICK_ACCESS_TOKEN) skips the scope pre-check */
  scopes?: readonly string[]
  /** where it came from, for `kick auth status` and error hints */
  source: 'env' | 'keychain' | 'file' | 'client-credentials'
  /** unix ms */
  expiresAt?: number
  /** the profile a stored token belongs to, for the `kick login` an error advises */
  profile?: string
}

/**
 * What the HTTP client asks for a token. The client owns this seam and `auth/` implements it: the client
 * never knows where tokens live, and tests can hand it a fixed token.
 */
export interface TokenProvider {
  /**
   * A token Kick accepts for this endpoint (user token when logged in, else an app token where the endpoint
   * takes one). Throws AuthError (exit 4) naming `kick login` and the scope when none can serve.
   */
  tokenFor(endpoint: Endpoint): Promise<AccessToken>
  /** After a 401 on `token`: refresh once and return the new token, or undefined when that is not possible. */
  afterUnauthorized(token: AccessToken): Promise<AccessToken | undefined>
}

/**
 * The `kick login` that fixes a missing login or scope: the profile's flag, and the scopes the token already
 * has plus the missing ones (`--scopes` replaces a login's scopes, so advising only the missing one would
 * take the others away).
 */
export function loginCommand(profile: string | undefined, scopes: readonly string[] = []): string {
  const flag = profile && profile !== 'default' ? ` --profile ${profile}` : ''
  const wanted = [...new Set(scopes)]
  return `kick login${flag}${wanted.length ? ` --scopes ${wanted.join(',')}` : ''}`
}
