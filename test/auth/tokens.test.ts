import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import type { MockKick } from '../../src/mock/server.js'
import {
  AuthWorld,
  authWorldHooks,
  CLIENT_ID,
  CLIENT_SECRET,
  fileMode,
  hangingBus,
  keychainLookup,
  keyringAvailable,
  readPair,
  rewritePair,
} from './harness.js'

const keyring = keyringAvailable()
/** A D-Bus address where nothing listens: a machine without a keychain. */
const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kick-test-bus' }

describe('stored tokens', () => {
  let mock: MockKick
  let world: AuthWorld

  authWorldHooks((m, w) => {
    mock = m
    world = w
  })

  const userTokens = () => [...mock.state.tokens.access.values()].filter((token) => token.kind === 'user')
  const appTokens = () => [...mock.state.tokens.access.values()].filter((token) => token.kind === 'app')

  async function login(extra: Record<string, string | undefined> = {}) {
    const result = await world.login('user:read,chat:write', extra)
    expect(result.code, result.stderr).toBe(0)
    return result
  }

  it.runIf(keyring)(
    'keeps the pair in the keychain, where secret-tool finds it, and in no file',
    async () => {
      const result = await login()
      expect(JSON.parse(result.stdout).storage).toBe('keychain')
      expect(result.stderr).not.toContain('Warning')
      const pair = JSON.parse(keychainLookup(world.service, world.profile, 'tokens')!)
      const issued = mock.state.tokens.access.get(pair.access_token)
      expect(issued).toMatchObject({ kind: 'user', revoked: false, refreshToken: pair.refresh_token })
      expect(pair.scopes).toEqual(['user:read', 'chat:write'])
      expect(pair.client_id).toBe(CLIENT_ID)
      expect(pair.expires_at).toBeGreaterThan(Date.now() + 3_600_000)
      expect(world.filesContaining(pair.access_token)).toEqual([])
      expect(world.filesContaining(pair.refresh_token)).toEqual([])
    },
  )

  it('falls back to a 0600 file, with a warning naming it, when no keychain answers', async () => {
    const result = await login(NO_BUS)
    const file = join(world.configDir(), 'credentials', `${world.profile}.tokens`)
    expect(result.stderr).toMatch(
      new RegExp(
        `Warning: the system keychain failed: .*: stored the login tokens in ${file} \\(mode 0600\\) instead`,
      ),
    )
    expect(JSON.parse(result.stdout).storage).toBe(`file ${file}`)
    expect(fileMode(file)).toBe(0o600)
    expect(fileMode(join(world.configDir(), 'credentials'))).toBe(0o700)
    const pair = readPair(world, false)!
    expect(mock.state.tokens.activeAccess(pair.access_token)?.kind).toBe('user')
    if (keyring) expect(keychainLookup(world.service, world.profile, 'tokens')).toBeUndefined()

    const token = await world.kick(['auth', 'token'], NO_BUS)
    expect(token).toMatchObject({ code: 0, stdout: `${pair.access_token}\n`, stderr: '' })
    const status = await world.kick(['auth', 'status'], NO_BUS)
    expect(JSON.parse(status.stdout).storage).toBe(`file ${file}`)
  })

  it('gives up on a keychain that never answers and uses the file store instead', async () => {
    const bus = await hangingBus()
    try {
      const env = { DBUS_SESSION_BUS_ADDRESS: bus.address }
      const result = await login(env)
      const file = join(world.configDir(), 'credentials', `${world.profile}.tokens`)
      expect(result.stderr).toContain(
        `Warning: the system keychain did not answer within 2.5 s: stored the login tokens in ${file} (mode 0600)`,
      )
      expect(fileMode(file)).toBe(0o600)
      const pair = readPair(world, false)!
      const token = await world.kick(['auth', 'token'], env)
      expect(token.code).toBe(0)
      expect(token.stdout).toBe(`${pair.access_token}\n`)
      expect(token.stderr).toContain(
        'Warning: the system keychain did not answer within 2.5 s; using the file store',
      )
      expect(bus.connections()).toBeGreaterThanOrEqual(2)
    } finally {
      await bus.close()
    }
  })

  it('with KICK_ACCESS_TOKEN never starts the keychain helper', async () => {
    const bus = await hangingBus()
    try {
      const { access_token } = mock.issueToken({ kind: 'user', scopes: ['user:read'] })
      const result = await world.kick(['users', 'get'], {
        DBUS_SESSION_BUS_ADDRESS: bus.address,
        KICK_ACCESS_TOKEN: access_token,
      })
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(JSON.parse(result.stdout)[0].user_id).toBe(100001)
      expect(bus.connections()).toBe(0)
      // the same command without it does go to the keychain (so the count above can tell)
      const stored = await world.kick(['rewards', 'list'], { DBUS_SESSION_BUS_ADDRESS: bus.address })
      // a keychain that never answers is said to be so, not taken for "not logged in"
      expect(stored.code).toBe(1)
      expect(stored.stderr).toContain(
        'Error: the system keychain did not answer within 2.5 s, so the login tokens',
      )
      expect(bus.connections()).toBeGreaterThan(0)
    } finally {
      await bus.close()
    }
  })

  it('refreshes a token that expires within 60 s before using it', async () => {
    await login()
    const before = readPair(world, keyring)!
    rewritePair(world, keyring, (pair) => (pair.expires_at = Date.now() + 30_000))
    const result = await world.kick(['users', 'get'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)[0].user_id).toBe(100001)
    const after = readPair(world, keyring)!
    expect(after.access_token).not.toBe(before.access_token)
    expect(mock.state.tokens.activeAccess(after.access_token)?.kind).toBe('user')
    expect(after.expires_at).toBeGreaterThan(Date.now() + 3_600_000)
    expect(after.scopes).toEqual(['user:read', 'chat:write'])
  })

  it('refreshes once after a 401 and retries the request', async () => {
    await login()
    const before = readPair(world, keyring)!
    mock.state.tokens.access.get(before.access_token)!.revoked = true
    const result = await world.kick(['users', 'get'])
    expect(result.code, result.stderr).toBe(0)
    const after = readPair(world, keyring)!
    expect(after.access_token).not.toBe(before.access_token)
    expect(mock.state.tokens.activeAccess(after.access_token)).toBeDefined()
  })

  it('fails with exit 4 naming kick login when the refresh is refused', async () => {
    await login()
    const pair = readPair(world, keyring)!
    mock.state.tokens.revokeRefreshFamily(pair.refresh_token!)
    const result = await world.kick(['users', 'get'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    // the mock answers Kick's invalid_grant (KDD#239): the login is lost
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^Error: Kick no longer accepts this login \\(invalid_grant: .*\\): run \`kick login --profile ${world.profile}\`$`,
      ),
    )
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('two processes refreshing at once do one refresh and keep a valid pair', async () => {
    await login()
    rewritePair(world, keyring, (pair) => (pair.expires_at = Date.now() - 1000))
    const issuedBefore = userTokens().length
    const [first, second] = await Promise.all([world.kick(['users', 'get']), world.kick(['users', 'get'])])
    expect(first.code, first.stderr).toBe(0)
    expect(second.code, second.stderr).toBe(0)
    // one process refreshed; the other waited on the lock, re-read the store and used the new pair
    expect(userTokens().length - issuedBefore).toBe(1)
    const stored = readPair(world, keyring)!
    expect(mock.state.tokens.activeAccess(stored.access_token)).toBeDefined()
    expect(stored.access_token).toBe(userTokens().at(-1)!.value)
  })

  it('kick logout revokes both tokens at Kick, then deletes them', async () => {
    await login()
    const pair = readPair(world, keyring)!
    const result = await world.kick(['logout'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ profile: world.profile, revoked: true })
    expect(mock.state.tokens.access.get(pair.access_token)!.revoked).toBe(true)
    expect(mock.state.tokens.refresh.get(pair.refresh_token!)!.revoked).toBe(true)
    expect(readPair(world, keyring)).toBeUndefined()
    const token = await world.kick(['auth', 'token'])
    expect(token.code).toBe(4)
    expect(token.stderr.trim()).toBe(
      `Error: not logged in (profile ${world.profile}): run \`kick login --profile ${world.profile}\``,
    )
    const again = await world.kick(['logout'])
    expect(again.code).toBe(1)
  })

  it('kick auth status introspects: user, kind, scopes, expiry, storage', async () => {
    await login()
    const pair = readPair(world, keyring)!
    const expected = {
      profile: world.profile,
      logged_in: true,
      active: true,
      user_id: 100001,
      name: mock.state.user(100001)!.name,
      token_kind: 'user',
      scopes: ['user:read', 'chat:write'],
      expires_at: new Date(
        Math.floor(mock.state.tokens.access.get(pair.access_token)!.expiresAt / 1000) * 1000,
      ).toISOString(),
      client_id: CLIENT_ID,
      storage: keyring
        ? 'keychain'
        : `file ${join(world.configDir(), 'credentials', `${world.profile}.tokens`)}`,
    }
    const status = await world.kick(['auth', 'status', '--json'])
    expect(status.code, status.stderr).toBe(0)
    expect(JSON.parse(status.stdout)).toEqual(expected)
    const legacy = await world.kick(['auth', 'status', '--legacy'])
    expect(legacy.code).toBe(0)
    expect(JSON.parse(legacy.stdout)).toEqual(expected)
    expect(legacy.stderr).toContain('deprecated')

    const fromEnv = await world.kick(['auth', 'status'], { KICK_ACCESS_TOKEN: pair.access_token })
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ storage: 'env', active: true, user_id: 100001 })

    const other = await world.kick(['auth', 'status'], { KICK_PROFILE: `${world.profile}b` })
    expect(other.code).toBe(4)
  })

  it('kick auth status exits 4 for a token expired with no usable refresh', async () => {
    await login()
    rewritePair(world, keyring, (pair) => {
      pair.expires_at = Date.now() - 1_000
      delete pair.refresh_token
    })
    const status = await world.kick(['auth', 'status'])
    expect(status.code).toBe(4)
    expect(status.stdout).toBe('')
    expect(status.stderr).toBe(
      `Error: the token expired and there is no refresh token: run \`kick login --profile ${world.profile}\`\n`,
    )
  })

  it('kick auth token prints only the token, refreshed first when it expires within 60 s', async () => {
    await login()
    const before = readPair(world, keyring)!
    rewritePair(world, keyring, (pair) => (pair.expires_at = Date.now() + 10_000))
    const result = await world.kick(['auth', 'token'])
    const after = readPair(world, keyring)!
    expect(after.access_token).not.toBe(before.access_token)
    expect(result).toMatchObject({ code: 0, stdout: `${after.access_token}\n`, stderr: '' })
    expect(mock.state.tokens.activeAccess(after.access_token)).toBeDefined()

    const fromEnv = await world.kick(['auth', 'token'], { KICK_ACCESS_TOKEN: 'env-token' })
    expect(fromEnv).toMatchObject({ code: 0, stdout: 'env-token\n', stderr: '' })
  })

  it('kick auth refresh refreshes now and stores the new pair', async () => {
    await login()
    const before = readPair(world, keyring)!
    const result = await world.kick(['auth', 'refresh', '--verbose'])
    expect(result.code, result.stderr).toBe(0)
    const after = readPair(world, keyring)!
    // the traced token request shows its form with every secret redacted
    expect(result.stderr).toContain('> POST /oauth/token'.replace('/oauth', `${mock.url}/oauth`))
    expect(result.stderr).toContain('grant_type=refresh_token')
    expect(result.stderr).toContain('client_secret=[redacted]')
    for (const secret of [
      before.refresh_token!,
      before.access_token,
      after.access_token,
      after.refresh_token!,
      CLIENT_SECRET,
    ])
      expect(result.stderr).not.toContain(secret)
    expect(after.access_token).not.toBe(before.access_token)
    expect(JSON.parse(result.stdout)).toEqual({
      profile: world.profile,
      scopes: ['user:read', 'chat:write'],
      expires_at: new Date(after.expires_at).toISOString(),
      storage: keyring
        ? 'keychain'
        : `file ${join(world.configDir(), 'credentials', `${world.profile}.tokens`)}`,
    })
  })

  it('kick auth token --app gets an app token by client credentials and caches it', async () => {
    const before = appTokens().length
    const first = await world.kick(['auth', 'token', '--app'])
    expect(first.code, first.stderr).toBe(0)
    const second = await world.kick(['auth', 'token', '--app'])
    expect(second.stdout).toBe(first.stdout)
    expect(appTokens().length - before).toBe(1)
    expect(first.stdout).toBe(`${appTokens().at(-1)!.value}\n`)
    if (keyring)
      expect(JSON.parse(keychainLookup(world.service, world.profile, 'app-token')!).access_token).toBe(
        first.stdout.trim(),
      )

    const noSecret = await world.kick(['auth', 'token', '--app'], { KICK_CLIENT_SECRET: undefined })
    expect(noSecret.code).toBe(4)
    expect(noSecret.stderr).toContain("needs the app's client-secret")
  })

  it('uses an app token for endpoints that take one when nobody is logged in', async () => {
    const before = appTokens().length
    const result = await world.kick(['users', 'get', '--id', '100001'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ user_id: 100001, email: '' })])
    expect(appTokens().length - before).toBe(1)
    const userOnly = await world.kick(['rewards', 'list'])
    expect(userOnly.code).toBe(4)
    expect(userOnly.stderr).toContain(
      `run \`kick login --profile ${world.profile} --scopes channel:rewards:read\``,
    )
  })

  it('kick api --app uses an app token even when logged in', async () => {
    await login()
    const before = appTokens().length
    const result = await world.kick(['api', 'users?id=200001', '--app'])
    expect(result.code, result.stderr).toBe(0)
    expect(appTokens().length - before).toBe(1)
    // an app token gets no email address: only the user's own token does
    expect(JSON.parse(result.stdout).data).toEqual([expect.objectContaining({ user_id: 200001, email: '' })])
  })

  it('keeps profiles side by side', async () => {
    const bot = `${world.profile}b`
    await login()
    const loginUser = mock.state.loginUserId
    mock.state.loginUserId = 200001
    try {
      const second = await world.login('user:read', { KICK_PROFILE: bot })
      expect(second.code, second.stderr).toBe(0)
    } finally {
      mock.state.loginUserId = loginUser
    }
    const mine = await world.kick(['users', 'get'])
    const theirs = await world.kick(['users', 'get', '--profile', bot])
    expect(JSON.parse(mine.stdout)[0].user_id).toBe(100001)
    expect(JSON.parse(theirs.stdout)[0].user_id).toBe(200001)

    expect((await world.kick(['logout'])).code).toBe(0)
    const still = await world.kick(['auth', 'status', '--profile', bot])
    expect(JSON.parse(still.stdout)).toMatchObject({ profile: bot, user_id: 200001, active: true })
  })

  it('kick auth revoke revokes any token', async () => {
    const { access_token } = mock.issueToken({ kind: 'user', scopes: ['user:read'] })
    const result = await world.kick(['auth', 'revoke', access_token, '--hint', 'access_token'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ revoked: true })
    expect(mock.state.tokens.access.get(access_token)!.revoked).toBe(true)
    const bad = await world.kick(['auth', 'revoke', access_token, '--hint', 'id_token'])
    expect(bad.code).toBe(2)
  })
})
