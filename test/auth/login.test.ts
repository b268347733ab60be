import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import type { MockKick } from '../../src/mock/server.js'
import {
  AuthWorld,
  authWorldHooks,
  CLIENT_ID,
  CLIENT_SECRET,
  keyringAvailable,
  readPair,
  startKick,
} from './harness.js'

describe('kick login', () => {
  let mock: MockKick
  let world: AuthWorld

  authWorldHooks((m, w) => {
    mock = m
    world = w
  })

  const issuedUserTokens = () =>
    [...mock.state.tokens.access.values()].filter((token) => token.kind === 'user')

  it('logs in through the browser with PKCE, stores the pair and names the user', async () => {
    const result = await world.login('user:read,chat:write')
    expect(result.stderr).not.toMatch(/Error/)
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.stdout)
    expect(printed).toMatchObject({
      profile: world.profile,
      user_id: 100001,
      name: mock.state.user(100001)!.name,
      scopes: ['user:read', 'chat:write'],
    })

    // the browser got one authorize URL, also printed on stderr
    const [url] = world.browserUrls()
    expect(world.browserUrls()).toHaveLength(1)
    expect(result.stderr).toContain(url!.href)
    expect(url!.origin + url!.pathname).toBe(`${mock.url}/oauth/authorize`)
    const query = url!.searchParams
    expect(query.get('client_id')).toBe(CLIENT_ID)
    expect(query.get('response_type')).toBe('code')
    expect(query.get('redirect_uri')).toBe(`http://localhost:${world.port}/callback`)
    expect(query.get('scope')).toBe('user:read chat:write')
    expect(query.get('code_challenge_method')).toBe('S256')
    expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(query.get('state')!.length).toBeGreaterThanOrEqual(32)
    expect(query.has('redirect')).toBe(false)

    // exactly one code, used once, with the challenge from the URL; one user token issued
    const codes = [...mock.state.tokens.codes.values()].filter(
      (code) => code.codeChallenge === query.get('code_challenge'),
    )
    expect(codes).toHaveLength(1)
    expect(codes[0]!.used).toBe(true)
    const issued = issuedUserTokens().filter((token) => token.refreshToken === codes[0]!.issuedRefreshToken)
    expect(issued).toHaveLength(1)

    // later commands use the stored token
    const token = await world.kick(['auth', 'token'])
    expect(token).toMatchObject({ code: 0, stderr: '', stdout: `${issued[0]!.value}\n` })
    const users = await world.kick(['users', 'get'])
    expect(users.code).toBe(0)
    expect(JSON.parse(users.stdout)[0].user_id).toBe(100001)
  })

  it('gives a 127.0.0.1 redirect URI the sacrificial redirect parameter before redirect_uri', async () => {
    const result = await world.login('user:read', {
      KICK_REDIRECT_URI: `http://127.0.0.1:${world.port}/callback`,
    })
    expect(result.code).toBe(0)
    const href = world.browserUrls()[0]!.href
    const sacrificial = href.indexOf('redirect=127.0.0.1&')
    expect(sacrificial).toBeGreaterThan(0)
    expect(href.indexOf('redirect_uri=')).toBeGreaterThan(sacrificial)
  })

  it('answers a forged state, a stateless error= and malformed requests with 4xx, and logs in with the real callback', async () => {
    const result = await world.login('user:read', {
      BROWSER_MODE: 'forge',
      // `//` and bad percent-encoding are paths (404); absolute-form is for proxies (400)
      BROWSER_RAW_TARGETS: JSON.stringify([
        '//',
        `http://localhost:${world.port}/callback?code=x&state=y`,
        '/%E0%A4%A',
        '/callback?code=%E0%A4%A&state=%',
      ]),
    })
    // the forged callback and the error= one got a 400 page, and the login kept waiting for the real one
    expect(world.forgedAnswers()).toEqual([400, 400, 404, 400, 404, 400, 431])
    expect(result.stderr).not.toMatch(/Error/)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ user_id: 100001, scopes: ['user:read'] })
  })

  it('a code Kick refuses with invalid_grant: exit 4, log in again, nothing stored', async () => {
    const result = await world.login('user:read', { BROWSER_MODE: 'wrong-code' })
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n').filter((line) => line.startsWith('Error:'))).toEqual([
      "Error: Kick did not accept the login code (invalid_grant: it expired, was already used, or was issued for another redirect URI than the app's): run `kick login` again",
    ])
    expect(readPair(world, keyringAvailable())).toBeUndefined()
  })

  it('reports an error=access_denied callback as such, exit 4', async () => {
    const result = await world.login('user:read', { BROWSER_MODE: 'deny' })
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(
      'Error: Kick did not log you in: access_denied (The user denied the request): run `kick login` to try again',
    )
  })

  it('shows a hostile error_description escaped, on the one Error line', async () => {
    const result = await world.login('user:read', {
      BROWSER_MODE: 'deny',
      BROWSER_ERROR_DESCRIPTION: 'denied\u001b]0;pwned\u0007\u001b[31m\rError: forged\nline',
    })
    expect(result.code).toBe(4)
    // the CLI's own lines stay lines: the URL on one of its own, between blank ones
    expect(result.stderr).toMatch(/to log in to Kick[^\n]*:\n\n {2}http\S+\n\n/)
    expect(result.stderr).not.toContain('\u001b')
    expect(result.stderr).not.toContain('\u0007')
    expect(result.stderr.split('\n').filter((line) => line.startsWith('Error:'))).toEqual([
      'Error: Kick did not log you in: access_denied (denied\\e]0;pwned\\u0007\\e[31m\\rError: forged\\nline): ' +
        'run `kick login` to try again',
    ])
  })

  it('gives up after --timeout when no callback comes', async () => {
    const result = await world.kick(['login', '--scopes', 'user:read', '--timeout', '1s'], {
      BROWSER_MODE: 'none',
    })
    expect(result.code, JSON.stringify(result)).toBe(4)
    expect(result.stderr).toContain(
      'Error: no login callback within 1 s: run `kick login` again (--timeout to wait longer)',
    )
  })

  it('fails clearly, exit 1, when the redirect port is in use', async () => {
    const squatter: Server = createServer()
    await new Promise<void>((resolve) => squatter.listen(world.port, '127.0.0.1', resolve))
    try {
      const result = await world.login('user:read')
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(
        `Error: port ${world.port} of the redirect URI http://localhost:${world.port}/callback is in use on 127.0.0.1`,
      )
      expect(world.browserUrls()).toHaveLength(0)
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })

  it('with --no-browser takes the redirected URL pasted on stdin', async () => {
    const kick = startKick(['login', '--scopes', 'user:read', '--no-browser'], world.env())
    const [authorize] = await kick.stderrMatching(/http:\S+\/oauth\/authorize\?\S+/)
    // the user approves in a browser elsewhere and copies the address it landed on
    const answer = await fetch(authorize!, { redirect: 'manual' })
    const landed = answer.headers.get('location')!
    expect(landed).toMatch(new RegExp(`^http://localhost:${world.port}/callback\\?code=`))
    kick.child.stdin.write('not a url\n')
    kick.child.stdin.write(`${landed}\n`)
    const result = await kick.exited
    expect(result.stderr).toContain('Warning: that is not the URL Kick redirected to')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ user_id: 100001, scopes: ['user:read'] })
    expect(world.browserUrls()).toHaveLength(0)
  })

  // issue 21 item 11: a $BROWSER (or the system opener) is someone else's program; kick's secrets stay with kick
  it('starts the browser, $BROWSER or the system opener, without the secrets of kick in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-env-'))
    const dump = join(dir, 'env')
    // dumps its environment, then plays the browser that approves
    const opener = join(dir, 'open-url')
    writeFileSync(opener, `#!/bin/sh\nenv > '${dump}'\nexec '${process.execPath}' '${world.browser}' "$1"\n`)
    chmodSync(opener, 0o755)
    const secrets = {
      KICK_CLIENT_SECRET: CLIENT_SECRET,
      KICK_ACCESS_TOKEN: 'an-access-token-from-the-environment',
      NGROK_AUTHTOKEN: 'an-ngrok-token-from-the-environment',
    }
    const result = await world.login('user:read', { ...secrets, BROWSER: opener })
    expect(result.code, result.stderr).toBe(0)
    const seen = readFileSync(dump, 'utf8')
    expect(seen).toContain(`BROWSER_LOG=${world.browserLog}`)
    for (const [name, value] of Object.entries(secrets)) {
      expect(seen).not.toContain(name)
      expect(seen).not.toContain(value)
    }

    // no $BROWSER, a desktop: `open` runs xdg-open (its own copy, or the one on PATH), which finds a browser on PATH
    for (const name of ['xdg-open', 'x-www-browser']) {
      writeFileSync(
        join(dir, name),
        `#!/bin/sh\nenv > '${dump}.xdg'\nexec '${process.execPath}' '${world.browser}' "$1"\n`,
      )
      chmodSync(join(dir, name), 0o755)
    }
    const system = await world.login('user:read', {
      ...secrets,
      BROWSER: undefined,
      DISPLAY: ':0',
      PATH: `${dir}:${process.env.PATH}`,
    })
    expect(system.code, system.stderr).toBe(0)
    expect(existsSync(`${dump}.xdg`)).toBe(true)
    const seenBySystem = readFileSync(`${dump}.xdg`, 'utf8')
    expect(seenBySystem).toContain('DISPLAY=:0')
    for (const [name, value] of Object.entries(secrets)) {
      expect(seenBySystem).not.toContain(name)
      expect(seenBySystem).not.toContain(value)
    }
  })

  it('when the browser opener fails, says so and takes the pasted-back URL', async () => {
    const kick = startKick(['login', '--scopes', 'user:read'], world.env({ BROWSER: 'false' }))
    await kick.stderrMatching(/paste the URL the browser was sent to:/)
    const [authorize] = await kick.stderrMatching(/http:\S+\/oauth\/authorize\?\S+/)
    const landed = (await fetch(authorize!, { redirect: 'manual' })).headers.get('location')!
    kick.child.stdin.write(`${landed}\n`)
    const result = await kick.exited
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('Warning: BROWSER exited with code 1: open the URL above yourself\n')
    expect(JSON.parse(result.stdout)).toMatchObject({ user_id: 100001, name: 'mockstreamer' })
  })

  it('logging in again on a profile that has a login says whose login it replaces', async () => {
    const first = await world.login('user:read')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).not.toContain('has a login')
    const again = await world.login('user:read,chat:write')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr.split('\n')[0]).toBe(
      `Profile ${world.profile} has a login of mockstreamer (user id 100001): logging in replaces it`,
    )
  })

  it('validates scopes and asks for none without a terminal (exit 2)', async () => {
    const none = await world.kick(['login'])
    expect(none.code).toBe(2)
    expect(none.stderr.trim()).toBe(
      'Error: which scopes? pass --scopes a,b or --all-scopes (no prompt without a terminal)',
    )
    const unknown = await world.kick(['login', '--scopes', 'user:read,chat:shout'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Error: unknown scope chat:shout')
    const remote = await world.login('user:read', { KICK_REDIRECT_URI: 'https://example.com/callback' })
    expect(remote.code).toBe(2)
    expect(remote.stderr).toContain('Error: redirect-uri must be an http:// loopback URL')
    expect(world.browserUrls()).toHaveLength(0)
  })

  it('needs the client id and secret without a terminal (exit 2), and takes them from config', async () => {
    const noId = await world.login('user:read', { KICK_CLIENT_ID: undefined })
    expect(noId.code).toBe(2)
    expect(noId.stderr.trim()).toBe(
      `Error: no client-id for the Kick app: run \`kick config set client-id VALUE --profile ${world.profile}\` or set KICK_CLIENT_ID`,
    )
    const noSecret = await world.login('user:read', { KICK_CLIENT_SECRET: undefined })
    expect(noSecret.code).toBe(2)
    expect(noSecret.stderr).toContain('Error: no client-secret for the Kick app')

    const env = { KICK_CLIENT_ID: undefined, KICK_CLIENT_SECRET: undefined }
    expect((await world.kick(['config', 'set', 'client-id', CLIENT_ID], env)).code).toBe(0)
    expect((await world.kick(['config', 'set', 'client-secret', '-'], env, CLIENT_SECRET)).code).toBe(0)
    const result = await world.login('user:read', env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).user_id).toBe(100001)
  })

  it('--all-scopes asks for all 11 scopes', async () => {
    const result = await world.kick(['login', '--all-scopes'])
    expect(result.code).toBe(0)
    expect(world.browserUrls()[0]!.searchParams.get('scope')!.split(' ')).toHaveLength(11)
    expect(JSON.parse(result.stdout).scopes).toHaveLength(11)
  })
})
