import { randomBytes } from 'node:crypto'

import type { Scope } from '../kick/endpoints.js'

/** An access token the mock issued. */
export interface AccessTokenRecord {
  value: string
  kind: 'user' | 'app'
  clientId: string
  scopes: Scope[]
  /** the user a user token acts for */
  userId?: number
  /** unix ms */
  expiresAt: number
  revoked: boolean
  /** the refresh token this access token came with (revoking that revokes this too) */
  refreshToken?: string
}

export interface RefreshTokenRecord {
  value: string
  clientId: string
  scopes: Scope[]
  userId: number
  revoked: boolean
}

/** An authorization code waiting for its exchange at /oauth/token. */
export interface AuthorizationCode {
  code: string
  clientId: string
  redirectUri: string
  codeChallenge: string
  scopes: Scope[]
  userId: number
  /** unix ms */
  expiresAt: number
  used: boolean
  /** the refresh token the exchange issued: a replayed code revokes it (RFC 6749 §4.1.2) */
  issuedRefreshToken?: string
}

export interface TokenGrantAnswer {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope?: string
  refresh_token?: string
}

export const APP_TOKEN_TTL_SECONDS = 60 * 24 * 3600
export const USER_TOKEN_TTL_SECONDS = 7200
export const CODE_TTL_MS = 60_000

/**
 * Tokens in the shape Kick's look: 48 characters of base64 over upper-case hex (`MDJMMWNM…`), random, so a
 * test can never guess one.
 */
function tokenValue(): string {
  return Buffer.from(randomBytes(18).toString('hex').toUpperCase()).toString('base64')
}

/** Every token and code the mock issued, for the life of the process. */
export class TokenStore {
  readonly access = new Map<string, AccessTokenRecord>()
  readonly refresh = new Map<string, RefreshTokenRecord>()
  readonly codes = new Map<string, AuthorizationCode>()

  issueUser(options: {
    clientId: string
    scopes: Scope[]
    userId: number
    ttlSeconds: number
    refreshToken?: string
  }): TokenGrantAnswer {
    const refreshToken = options.refreshToken ?? tokenValue()
    if (!this.refresh.has(refreshToken)) {
      this.refresh.set(refreshToken, {
        value: refreshToken,
        clientId: options.clientId,
        scopes: options.scopes,
        userId: options.userId,
        revoked: false,
      })
    }
    const access = this.newAccess({ ...options, kind: 'user', refreshToken })
    return {
      access_token: access.value,
      token_type: 'Bearer',
      expires_in: options.ttlSeconds,
      scope: options.scopes.join(' '),
      refresh_token: refreshToken,
    }
  }

  issueApp(options: { clientId: string; ttlSeconds: number }): TokenGrantAnswer {
    const access = this.newAccess({ ...options, kind: 'app', scopes: [] })
    return { access_token: access.value, token_type: 'Bearer', expires_in: options.ttlSeconds }
  }

  private newAccess(options: {
    kind: 'user' | 'app'
    clientId: string
    scopes: Scope[]
    userId?: number
    ttlSeconds: number
    refreshToken?: string
  }): AccessTokenRecord {
    const record: AccessTokenRecord = {
      value: tokenValue(),
      kind: options.kind,
      clientId: options.clientId,
      scopes: options.scopes,
      userId: options.userId,
      expiresAt: Date.now() + options.ttlSeconds * 1000,
      revoked: false,
      refreshToken: options.refreshToken,
    }
    this.access.set(record.value, record)
    return record
  }

  /** The access token when it is known, not revoked and not expired. */
  activeAccess(value: string | undefined): AccessTokenRecord | undefined {
    const record = value ? this.access.get(value) : undefined
    if (!record || record.revoked || record.expiresAt <= Date.now()) return undefined
    return record
  }

  activeRefresh(value: string | undefined): RefreshTokenRecord | undefined {
    const record = value ? this.refresh.get(value) : undefined
    return record && !record.revoked ? record : undefined
  }

  newCode(options: Omit<AuthorizationCode, 'code' | 'expiresAt' | 'used'>): AuthorizationCode {
    const code: AuthorizationCode = {
      ...options,
      code: tokenValue(),
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    }
    this.codes.set(code.code, code)
    return code
  }

  /**
   * Revokes an access or refresh token (the hint says which to look at first). A refresh token takes the
   * access tokens issued with it along. Unknown tokens are no error (RFC 7009 §2.2).
   */
  revoke(value: string, hint?: 'access_token' | 'refresh_token'): void {
    const order = hint === 'refresh_token' ? ['refresh', 'access'] : ['access', 'refresh']
    for (const kind of order) {
      if (kind === 'access') {
        const record = this.access.get(value)
        if (record) {
          record.revoked = true
          return
        }
      } else if (this.refresh.has(value)) {
        this.revokeRefreshFamily(value)
        return
      }
    }
  }

  revokeRefreshFamily(refreshToken: string): void {
    const record = this.refresh.get(refreshToken)
    if (record) record.revoked = true
    for (const access of this.access.values()) if (access.refreshToken === refreshToken) access.revoked = true
  }
}
