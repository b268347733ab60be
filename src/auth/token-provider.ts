import type { AccessToken, TokenProvider } from '../kick/token-provider.js'

/** A provider that always answers with one token (KICK_ACCESS_TOKEN, tests, `kick listen --demo`). */
export function fixedTokenProvider(token: AccessToken): TokenProvider {
  return {
    tokenFor: async () => token,
    afterUnauthorized: async () => undefined,
  }
}
