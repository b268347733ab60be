import type { Settings } from '../config/config.js'
import { AuthError } from '../errors.js'
import type { Endpoint } from '../kick/endpoints.js'
import type { AccessToken, TokenProvider } from './token-provider.js'

export interface SessionOptions {
  warn: (message: string) => void
}

/**
 * Token choice (SPEC §3): `KICK_ACCESS_TOKEN` as is; otherwise the profile's stored user token; otherwise an
 * app token from client credentials for endpoints that take one.
 */
export async function createTokenProvider(
  settings: Settings,
  _options: SessionOptions,
): Promise<TokenProvider> {
  const fromEnv = process.env.KICK_ACCESS_TOKEN
  if (fromEnv) {
    const token: AccessToken = { value: fromEnv, kind: 'user', source: 'env' }
    return { tokenFor: async () => token, afterUnauthorized: async () => undefined }
  }
  return {
    tokenFor: async (endpoint) => {
      throw notLoggedIn(settings.profile, endpoint)
    },
    afterUnauthorized: async () => undefined,
  }
}

export function notLoggedIn(profile: string, endpoint: Endpoint): AuthError {
  const scope = endpoint.scopes[0]
  const login = `kick login${profile === 'default' ? '' : ` --profile ${profile}`}${scope ? ` --scopes ${scope}` : ''}`
  return new AuthError(
    `not logged in${profile === 'default' ? '' : ` (profile ${profile})`}: run \`${login}\` or set KICK_ACCESS_TOKEN`,
  )
}
