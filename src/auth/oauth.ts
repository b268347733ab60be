import type { Settings } from '../config/config.js'
import { AuthError } from '../errors.js'
import { rememberSecret } from '../output/redact.js'
import type { KickClient } from '../kick/client.js'
import type { TokenGrant } from './tokens.js'
import type { AccessToken } from '../kick/token-provider.js'

/** The OAuth server's calls (REFERENCE §1), through the one Kick client: same retries, traces, errors. */
export class OAuthClient {
  private constructor(private readonly kick: KickClient) {}

  /** The client is loaded here, on the first OAuth call, never at start-up. */
  static async create(
    settings: Pick<Settings, 'apiUrl' | 'authUrl'>,
    options: { trace?: (line: string) => void; progress?: (line: string) => void; userAgent?: string } = {},
  ) {
    const { KickClient } = await import('../kick/client.js')
    const tokens = {
      tokenFor: async (): Promise<AccessToken> => {
        throw new AuthError('the OAuth calls carry their own token')
      },
      afterUnauthorized: async () => undefined,
    }
    return new OAuthClient(new KickClient({ settings, tokens, ...options }))
  }

  async exchangeCode(request: {
    clientId: string
    clientSecret: string
    code: string
    redirectUri: string
    verifier: string
  }): Promise<TokenGrant> {
    return this.grant({
      grant_type: 'authorization_code',
      client_id: request.clientId,
      client_secret: request.clientSecret,
      code: request.code,
      redirect_uri: request.redirectUri,
      code_verifier: request.verifier,
    })
  }

  async refresh(request: {
    clientId: string
    clientSecret: string
    refreshToken: string
  }): Promise<TokenGrant> {
    return this.grant({
      grant_type: 'refresh_token',
      client_id: request.clientId,
      client_secret: request.clientSecret,
      refresh_token: request.refreshToken,
    })
  }

  async clientCredentials(request: { clientId: string; clientSecret: string }): Promise<TokenGrant> {
    return this.grant({
      grant_type: 'client_credentials',
      client_id: request.clientId,
      client_secret: request.clientSecret,
    })
  }

  /**
   * Kick's docs put `token` and the non-standard `token_hint_type` in the query string of a form POST; SDKs
   * send a form body. Both carry the same fields, so either reading of the docs finds them.
   */
  async revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
    const fields = hint ? { token, token_hint_type: hint } : { token }
    await this.kick.call('oauthRevoke', { query: fields, body: fields })
  }

  /** POST /oauth/token/introspect (or the deprecated API one): the token is its own bearer. */
  async introspect(token: AccessToken, legacy = false): Promise<Introspection> {
    const { data } = await this.kick.call<Introspection>(
      legacy ? 'tokenIntrospectLegacy' : 'oauthIntrospect',
      {
        token,
      },
    )
    return data
  }

  /** GET /public/v1/users as the given token: who it belongs to. */
  async whoami(token: AccessToken): Promise<{ user_id: number; name: string } | undefined> {
    const { data } = await this.kick.call<{ user_id: number; name: string }[]>('usersGet', { token })
    return data[0]
  }

  private async grant(form: Record<string, string>): Promise<TokenGrant> {
    // what a grant sends and gets is never printed, whoever echoes it
    for (const key of ['client_secret', 'refresh_token', 'code', 'code_verifier']) rememberSecret(form[key])
    const { data } = await this.kick.call<TokenGrant>('oauthToken', { body: form })
    rememberSecret(data?.access_token)
    rememberSecret(data?.refresh_token)
    if (!data || typeof data.access_token !== 'string')
      throw new AuthError('the OAuth server answered without an access token: run `kick login`')
    return data
  }
}

export interface Introspection {
  active: boolean
  client_id?: string | null
  token_type?: 'user' | 'app' | null
  scope?: string | null
  /** unix seconds */
  exp?: number | null
}

/** The OAuth `error` code of an answer's body (`invalid_grant`), when it has one. */
export function oauthErrorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown }
    return typeof parsed?.error === 'string' ? parsed.error : undefined
  } catch {
    return undefined
  }
}
