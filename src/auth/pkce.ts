import { createHash, randomBytes } from 'node:crypto'

/** A fresh PKCE pair (RFC 7636, S256) and an unguessable `state` for one login. */
export interface PkceLogin {
  verifier: string
  challenge: string
  state: string
}

export function newPkceLogin(): PkceLogin {
  // 32 random bytes → 43 base64url characters, the shortest verifier RFC 7636 allows, with 256 bits in it.
  const verifier = randomBytes(32).toString('base64url')
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
    state: randomBytes(24).toString('base64url'),
  }
}

/**
 * The browser URL for GET /oauth/authorize. Kick's Next.js front end rewrites the first `127.0.0.1` in the
 * URL to `localhost`, which then no longer matches the registered redirect URI; a sacrificial
 * `redirect=127.0.0.1` placed before `redirect_uri` takes the rewrite instead (REFERENCE §1.1).
 */
export function authorizeUrl(options: {
  authUrl: string
  clientId: string
  redirectUri: string
  scopes: readonly string[]
  pkce: PkceLogin
}): string {
  const params = new URLSearchParams()
  params.set('client_id', options.clientId)
  params.set('response_type', 'code')
  if (new URL(options.redirectUri).hostname === '127.0.0.1') params.set('redirect', '127.0.0.1')
  params.set('redirect_uri', options.redirectUri)
  params.set('scope', options.scopes.join(' '))
  params.set('state', options.pkce.state)
  params.set('code_challenge', options.pkce.challenge)
  params.set('code_challenge_method', 'S256')
  return `${options.authUrl}/oauth/authorize?${params}`
}
