import { join } from 'node:path'

import type { Settings } from '../config/config.js'
import { configDir } from '../config/paths.js'
import { ApiError, AuthError, isRedirect, KickError } from '../errors.js'
import type { Endpoint } from '../kick/endpoints.js'
import { type OAuthClient, oauthErrorCode } from './oauth.js'
import type { SecretStore, StoredSecret } from './secret-store.js'
import { fixedTokenProvider } from './token-provider.js'
import { type AccessToken, loginCommand, type TokenProvider } from '../kick/token-provider.js'
import {
  type AppTokenCache,
  expiresInMs,
  expiresWithin,
  newerPair,
  parseAppToken,
  parseUserTokens,
  REFRESH_WINDOW_MS,
  type UserTokens,
  userTokensFromGrant,
} from './tokens.js'

export interface SessionOptions {
  warn: (message: string) => void
  /** `--verbose` traces of the OAuth calls (refresh, client credentials) */
  trace?: (line: string) => void
  /** the User-Agent of the OAuth calls */
  userAgent?: string
  /** a line about a wait (another process refreshing, a slow or rate-limiting server); only in a terminal */
  progress?: (line: string) => void
  /** `kick api --app`: always an app token, even when logged in or KICK_ACCESS_TOKEN is set */
  prefer?: 'app'
}

/**
 * Token choice (SPEC §3): `KICK_ACCESS_TOKEN` as is; otherwise the profile's stored user token (refreshed
 * when it expires within 60 s, and once after a 401); otherwise an app token from client credentials for
 * endpoints that take one. With KICK_ACCESS_TOKEN nothing else is loaded: no keychain, no helper process.
 */
export async function createTokenProvider(
  settings: Settings,
  options: SessionOptions,
): Promise<TokenProvider> {
  const fromEnv = process.env.KICK_ACCESS_TOKEN
  if (fromEnv && options.prefer !== 'app') {
    return fixedTokenProvider({ value: fromEnv, kind: 'user', source: 'env' })
  }
  const session = new Session(settings, options)
  if (options.prefer === 'app') {
    return { tokenFor: () => session.appToken(), afterUnauthorized: async () => undefined }
  }
  // The keychain helper starts now, while the caller is still loading the HTTP client: ~0.1 s saved.
  session.prefetchLogin()
  return {
    tokenFor: (endpoint) => session.tokenFor(endpoint),
    afterUnauthorized: (token) => session.afterUnauthorized(token),
  }
}

/** The stored user login of a profile, and where it is kept. */
export interface StoredLogin {
  profile: string
  tokens: UserTokens
  storage: StoredSecret['storage']
  file?: string
}

/**
 * One profile's tokens: reading, refreshing (under a lock, re-reading first), app tokens, the client
 * secret. The keychain helper starts on the first read, never before.
 */
export class Session {
  private storePromise?: Promise<SecretStore>
  private oauthPromise?: Promise<OAuthClient>
  private prefetched?: Promise<StoredLogin | undefined>

  constructor(
    readonly settings: Settings,
    private readonly options: SessionOptions,
  ) {}

  get profile(): string {
    return this.settings.profile
  }

  store(): Promise<SecretStore> {
    this.storePromise ??= import('./secret-store.js').then(
      ({ SecretStore }) => new SecretStore(this.options.warn),
    )
    return this.storePromise
  }

  oauth(): Promise<OAuthClient> {
    this.oauthPromise ??= import('./oauth.js').then(({ OAuthClient }) =>
      OAuthClient.create(this.settings, this.options),
    )
    return this.oauthPromise
  }

  async tokenFor(endpoint: Endpoint): Promise<AccessToken> {
    if (endpoint.token === 'app') return this.appToken(endpoint)
    const user = await this.userToken()
    if (user) return user
    if (endpoint.token === 'user' || !(await this.canGetAppToken()))
      throw notLoggedIn(this.profile, { scope: endpoint.scopes[0], orEnv: true })
    return this.appToken(endpoint)
  }

  /** After a 401: one refresh of the user token, unless another process already refreshed it. */
  async afterUnauthorized(token: AccessToken): Promise<AccessToken | undefined> {
    if (token.kind !== 'user' || token.source === 'env') return undefined
    return toAccessToken(await this.refresh({ stale: token.value }))
  }

  /**
   * The stored pair. After a keychain outage both the keychain and the fallback file may hold one: the
   * newer wins, so a login made during the outage is not undone by the keychain's older pair.
   */
  async login(): Promise<StoredLogin | undefined> {
    const copies = await (await this.store()).candidates(this.profile, 'tokens')
    let best: StoredLogin | undefined
    const corrupt: StoredSecret[] = []
    for (const copy of copies) {
      const tokens = parseUserTokens(copy.value)
      if (!tokens) {
        corrupt.push(copy)
        continue
      }
      if (!best || newerPair(best.tokens, tokens) === tokens)
        best = { profile: this.profile, tokens, storage: copy.storage, file: copy.file }
    }
    const bad = corrupt[0]
    if (bad) {
      const where = bad.storage === 'file' ? bad.file! : `the system keychain (entry ${this.profile}:tokens)`
      if (!best)
        throw new AuthError(
          `the stored login of profile ${this.profile} in ${where} is corrupt: run \`${this.loginCommand()}\` to replace it`,
        )
      this.options.warn(`ignoring a corrupt copy of the login in ${where}`)
    }
    return best
  }

  /** Starts reading the stored login now; the first userToken() takes this read instead of its own. */
  prefetchLogin(): void {
    this.prefetched = this.login()
    this.prefetched.catch(() => undefined)
  }

  /** The stored user token, refreshed first when it expires within 60 s; undefined when not logged in. */
  async userToken(): Promise<AccessToken | undefined> {
    const read = this.prefetched ?? this.login()
    this.prefetched = undefined
    const login = await read
    if (!login) return undefined
    if (!expiresWithin(login.tokens.expires_at, REFRESH_WINDOW_MS)) return toAccessToken(login)
    return toAccessToken(await this.refresh({ stale: login.tokens.access_token }))
  }

  /**
   * Refreshes the pair under the profile's lock. Inside the lock the store is read again: when another
   * process refreshed meanwhile (the access token differs from `stale` and still works), its pair is used
   * instead of refreshing twice, so no process ever overwrites a newer pair with an older one.
   */
  async refresh(options: { stale?: string; force?: boolean } = {}): Promise<StoredLogin> {
    const { withLock } = await import('../config/lock.js')
    const lock = join(configDir(), 'locks', `${this.profile}.tokens.lock`)
    const onWait = this.options.progress
      ? () =>
          this.options.progress!(`waiting for another kick process to finish refreshing the token (${lock})…`)
      : undefined
    return withLock(
      lock,
      async () => {
        const current = await this.login()
        if (!current) throw notLoggedIn(this.profile)
        const refreshedElsewhere =
          !options.force &&
          current.tokens.access_token !== options.stale &&
          !expiresWithin(current.tokens.expires_at, 5_000)
        if (refreshedElsewhere) return current
        if (!current.tokens.refresh_token)
          throw new AuthError(
            `the token expired and there is no refresh token: run \`${this.loginCommand()}\``,
          )
        const clientId = current.tokens.client_id ?? this.settings.clientId
        const clientSecret = await this.clientSecret()
        if (!clientId || !clientSecret)
          throw new AuthError(
            `cannot refresh the token without the app's client ${clientId ? 'secret' : 'id'}: run \`${this.loginCommand()}\``,
          )
        let tokens: UserTokens
        try {
          const grant = await (
            await this.oauth()
          ).refresh({ clientId, clientSecret, refreshToken: current.tokens.refresh_token })
          tokens = userTokensFromGrant(grant, { ...current.tokens, client_id: clientId })
        } catch (error) {
          throw await this.refreshError(error)
        }
        return this.saveLogin(tokens)
      },
      { onWait },
    )
  }

  /**
   * What a failed refresh means. Kick's firewall (a 403, often an HTML challenge page), a 429, a 5xx or a
   * network failure says nothing about the login: exit 1, the stored pair untouched, so the next command
   * refreshes as usual. The OAuth server refusing the grant (invalid_grant, a bad client) is a lost login:
   * exit 4 and `kick login`.
   */
  private async refreshError(error: unknown): Promise<KickError> {
    if (isRedirect(error)) return error
    const kept = 'the stored login is kept: try again in a moment'
    if (error instanceof ApiError) {
      // loaded already: the refresh went through the client
      const { describeFailure } = await import('../kick/client.js')
      const said = describeFailure({ status: error.status, statusText: '', text: error.body })
      if (error.status === 403)
        return new KickError(`Kick's firewall refused the token refresh (${said}): ${kept}`, 1, error.body)
      if (error.status === 429 || error.status >= 500)
        return new KickError(`Kick's server failed the token refresh (${said}): ${kept}`, 1, error.body)
      if (oauthErrorCode(error.body) === 'invalid_grant')
        return new AuthError(
          `Kick no longer accepts this login (invalid_grant: the refresh token expired, was revoked or belongs to ` +
            `another app): run \`${this.loginCommand()}\``,
          error.body,
        )
    } else if (error instanceof KickError && !(error instanceof AuthError)) {
      return new KickError(`could not refresh the token (${error.message}): ${kept}`, 1, error.detail)
    }
    return new AuthError(
      `refreshing the token failed (${(error as Error).message}): run \`${this.loginCommand()}\``,
      (error as KickError).detail,
    )
  }

  async saveLogin(tokens: UserTokens): Promise<StoredLogin> {
    const stored = await (await this.store()).set(this.profile, 'tokens', JSON.stringify(tokens))
    return { profile: this.profile, tokens, storage: stored.storage, file: stored.file }
  }

  async deleteLogin(): Promise<boolean> {
    return (await this.store()).delete(this.profile, 'tokens')
  }

  /** `KICK_CLIENT_SECRET`, else the secret stored for the profile. */
  async clientSecret(): Promise<string | undefined> {
    if (process.env.KICK_CLIENT_SECRET) return process.env.KICK_CLIENT_SECRET
    return (await (await this.store()).get(this.profile, 'client-secret'))?.value || undefined
  }

  private async canGetAppToken(): Promise<boolean> {
    return Boolean(this.settings.clientId && (await this.clientSecret()))
  }

  /**
   * An app access token (client credentials), cached in the keychain until it expires. The cache is per
   * profile and app: a different client id never gets another app's token.
   */
  async appToken(endpoint?: Endpoint): Promise<AccessToken> {
    const clientId = this.settings.clientId
    const clientSecret = await this.clientSecret()
    if (!clientId || !clientSecret) {
      const missing = clientId ? 'client-secret' : 'client-id'
      throw new AuthError(
        `${endpoint ? `${endpoint.command} needs` : 'this needs'} an app token, which needs the app's ${missing}: ` +
          `run \`kick config set ${missing} VALUE${this.profileFlag()}\` or set KICK_${missing.toUpperCase().replace('-', '_')}`,
      )
    }
    const store = await this.store()
    const cached = parseAppToken((await store.get(this.profile, 'app-token'))?.value)
    if (cached && cached.client_id === clientId && !expiresWithin(cached.expires_at, REFRESH_WINDOW_MS)) {
      return {
        value: cached.access_token,
        kind: 'app',
        source: 'client-credentials',
        expiresAt: cached.expires_at,
      }
    }
    let fresh: AppTokenCache
    try {
      const grant = await (await this.oauth()).clientCredentials({ clientId, clientSecret })
      fresh = {
        access_token: grant.access_token,
        expires_at: Date.now() + expiresInMs(grant),
        client_id: clientId,
      }
    } catch (error) {
      if (isRedirect(error)) throw error
      throw new AuthError(
        `getting an app token failed (${(error as Error).message}): check the client id and secret ` +
          `(\`kick config list${this.profileFlag()}\`)`,
        (error as KickError).detail,
      )
    }
    await store.set(this.profile, 'app-token', JSON.stringify(fresh))
    return {
      value: fresh.access_token,
      kind: 'app',
      source: 'client-credentials',
      expiresAt: fresh.expires_at,
    }
  }

  loginCommand(): string {
    return loginCommand(this.profile)
  }

  private profileFlag(): string {
    return profileFlag(this.profile)
  }
}

export function toAccessToken(login: StoredLogin): AccessToken {
  return {
    value: login.tokens.access_token,
    kind: 'user',
    scopes: login.tokens.scopes,
    source: login.storage,
    expiresAt: login.tokens.expires_at,
    profile: login.profile,
  }
}

/** ` --profile NAME` for commands a message suggests; nothing for the default profile. */
export function profileFlag(profile: string): string {
  return profile === 'default' ? '' : ` --profile ${profile}`
}

/**
 * The one wording for a missing login: which profile, and the `kick login` that fixes it (with the scope the
 * call needs, and KICK_ACCESS_TOKEN as the other way, where a request was about to be made).
 */
export function notLoggedIn(profile: string, options: { scope?: string; orEnv?: boolean } = {}): AuthError {
  const which = profile === 'default' ? '' : ` (profile ${profile})`
  const orEnv = options.orEnv ? ' or set KICK_ACCESS_TOKEN' : ''
  return new AuthError(
    `not logged in${which}: run \`${loginCommand(profile, options.scope ? [options.scope] : [])}\`${orEnv}`,
  )
}
