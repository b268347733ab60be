import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { keychainClear, keychainStore, keyringAvailable, NO_BUS, serviceFor } from '../auth/harness.js'
import { FixtureServer, ok, type RecordedRequest, type StubResponse } from '../helpers/fixture-server.js'
import { useFixtureKick } from '../helpers/fixture-kick.js'
import { isolatedHome, type KickResult, runKick } from '../helpers/run-kick.js'

// Issue 21 item 10: whatever a server (or anyone) writes, no secret kick knows reaches stdout or stderr:
// tokens from the environment, the keychain or the fallback file, refresh tokens, the client secret.

const ACCESS = 'at-0123456789abcdefghijklmnopqrstuv'
const REFRESH = 'rt-9876543210zyxwvutsrqponmlkjihgfe'
const SECRET = 'cs-the-client-secret-0123456789'

/** A server that repeats the bearer it was sent everywhere it can: message, data, headers. */
function echoing(status: number): (request: RecordedRequest) => StubResponse {
  return (request) => {
    const bearer = String(request.headers.authorization ?? '')
    return {
      status,
      json: { data: bearer, message: `Unauthorized: you sent ${bearer}` },
      headers: {
        'www-authenticate': `Bearer error="invalid_token", token="${bearer.slice(7)}"`,
        'x-echo': bearer,
      },
    }
  }
}

function expectNoSecret(result: KickResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret)
    expect(result.stderr).not.toContain(secret)
  }
}

describe('secrets kick knows are redacted in every line it prints', () => {
  const { fixture, kick, kickInTerminal } = useFixtureKick()
  const TOKEN = 'fixture-test-token'

  it('a 401 whose message echoes `Bearer <KICK_ACCESS_TOKEN>`: the error line, and --verbose', async () => {
    fixture().stub('GET', '/public/v1/users', echoing(401), echoing(401))
    const plain = await kick(['users', 'get'])
    expect(plain.code).toBe(4)
    expect(plain.stderr).toBe(
      'Error: Kick rejected the token in KICK_ACCESS_TOKEN (401 Unauthorized: you sent Bearer [redacted]: ' +
        'Bearer [redacted]): set a valid one, or unset it to use the stored login\n',
    )
    const verbose = await kick(['users', 'get', '--verbose'])
    expect(verbose.code).toBe(4)
    expect(verbose.stderr).toContain('> authorization: Bearer [redacted]')
    // the full response body, shown with --verbose, is redacted too
    expect(verbose.stderr).toContain('"message":"Unauthorized: you sent Bearer [redacted]"')
    expectNoSecret(plain, [TOKEN])
    expectNoSecret(verbose, [TOKEN])
  })

  it('response headers (kick api -i) and a body that echoes the token, in a pipe and at a terminal', async () => {
    fixture().stub('GET', '/public/v1/users', echoing(200), echoing(200), echoing(200))
    const included = await kick(['api', 'users', '-i'])
    expect(included.code).toBe(0)
    expect(included.stdout).toContain('X-Echo: Bearer [redacted]\n')
    expect(included.stdout).toContain('token="[redacted]"')
    expect(included.stdout).toContain('"data":"Bearer [redacted]"')
    const terminal = await kickInTerminal(['api', 'users', '-i'])
    expect(terminal.stdout).toContain('X-Echo: Bearer [redacted]')
    // data that holds the token: the JSON on stdout
    const json = await kick(['users', 'get', '--json'])
    expect(json.code).toBe(1) // `data` is a string here, not Kick's list
    expectNoSecret(included, [TOKEN])
    expectNoSecret(terminal, [TOKEN])
    expectNoSecret(json, [TOKEN])
  })

  it('a user name that is the token, printed as a table and as JSON', async () => {
    const user = { user_id: 1, name: `me ${TOKEN}`, email: TOKEN, profile_picture: '' }
    fixture().stub('GET', '/public/v1/users', ok([user]), ok([user]))
    const json = await kick(['users', 'get'])
    expect(JSON.parse(json.stdout)).toEqual([{ ...user, name: 'me [redacted]', email: '[redacted]' }])
    const table = await kickInTerminal(['users', 'get'])
    expect(table.stdout).toContain('me [redacted]')
    expectNoSecret(json, [TOKEN])
    expectNoSecret(table, [TOKEN])
  })
})

describe('stored secrets: the fallback file and the keychain', () => {
  let fixture: FixtureServer
  let home: ReturnType<typeof isolatedHome>
  afterEach(async () => {
    keychainClear(serviceFor(home))
    await fixture.close()
  })

  const pair = JSON.stringify({
    access_token: ACCESS,
    refresh_token: REFRESH,
    expires_at: Date.now() + 3_600_000,
    scopes: ['user:read'],
    client_id: 'client-id-1',
  })

  /** A refresh the OAuth server refuses, echoing the refresh token and the client secret it was sent. */
  const refusingRefresh = (request: RecordedRequest): StubResponse => ({
    status: 400,
    json: {
      error: 'invalid_grant',
      error_description: `refresh_token ${request.form?.get('refresh_token')} with secret ${request.form?.get('client_secret')} is revoked`,
    },
  })

  async function run(env: Record<string, string | undefined>): Promise<KickResult> {
    fixture.stub('GET', '/public/v1/users', echoing(401))
    fixture.stub('POST', '/oauth/token', refusingRefresh)
    return runKick(['users', 'get', '--verbose'], {
      env: {
        ...home,
        ...env,
        KICK_API_URL: fixture.url,
        KICK_AUTH_URL: fixture.url,
        KICK_CLIENT_ID: 'client-id-1',
      },
    })
  }

  it('a token pair in the fallback file, the client secret from the environment', async () => {
    fixture = await FixtureServer.start()
    home = isolatedHome()
    const credentials = join(home.XDG_CONFIG_HOME, 'kick', 'credentials')
    mkdirSync(credentials, { recursive: true, mode: 0o700 })
    writeFileSync(join(credentials, 'default.tokens'), pair, { mode: 0o600 })
    const result = await run({ ...NO_BUS, KICK_CLIENT_SECRET: SECRET })
    expect(result.code).toBe(4)
    // --verbose shows the OAuth server's answer, which echoed both
    expect(result.stderr).toContain('refresh_token [redacted] with secret [redacted] is revoked')
    expectNoSecret(result, [ACCESS, REFRESH, SECRET])
    fixture.verify()
  })

  it.runIf(keyringAvailable())('a token pair and the client secret in the keychain', async () => {
    fixture = await FixtureServer.start()
    home = isolatedHome()
    keychainStore(serviceFor(home), 'default', 'tokens', pair)
    keychainStore(serviceFor(home), 'default', 'client-secret', SECRET)
    const result = await run({})
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('refresh_token [redacted] with secret [redacted] is revoked')
    expectNoSecret(result, [ACCESS, REFRESH, SECRET])
    fixture.verify()
  })
})
