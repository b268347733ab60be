import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { MockKick } from '../../src/mock/server.js'
import { lines } from '../helpers/fixture-kick.js'
import { AuthWorld, authWorldHooks, keychainLookup, keyringAvailable, NO_BUS, readPair } from './harness.js'

// This file stops the session's real gnome-keyring (SIGSTOP) for seconds at a time: every other test that
// uses the keychain would time out meanwhile. `npm test` therefore runs it alone, after all the others.
const keyring = keyringAvailable()
/** The pid of the Secret Service on this test's session bus: the gnome-keyring /work/bin/with-keyring started. */
function secretServicePid(): number {
  const reply = execFileSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.GetConnectionUnixProcessID',
      'string:org.freedesktop.secrets',
    ],
    { encoding: 'utf8', timeout: 5000 },
  )
  return Number(/uint32 (\d+)/.exec(reply)![1])
}

/** Runs `work` with the real gnome-keyring stopped (SIGSTOP): it holds its D-Bus name and never answers. */
async function withKeyringFrozen<T>(work: () => Promise<T>): Promise<T> {
  const pid = secretServicePid()
  process.kill(pid, 'SIGSTOP')
  try {
    return await work()
  } finally {
    process.kill(pid, 'SIGCONT')
  }
}

describe('the keychain, frozen or corrupt', () => {
  let mock: MockKick
  let world: AuthWorld
  authWorldHooks((m, w) => {
    mock = m
    world = w
  })

  it.runIf(keyring)(
    'a frozen keychain is said to be frozen, never "not logged in"; a login meanwhile goes to the file and wins after',
    async () => {
      const first = await world.login('user:read')
      expect(first.code, first.stderr).toBe(0)
      const old = readPair(world, true)!
      expect(old.scopes).toEqual(['user:read'])

      const file = join(world.configDir(), 'credentials', `${world.profile}.tokens`)
      const during = await withKeyringFrozen(async () => {
        const users = await world.kick(['users', 'get'])
        const secret = await world.kick(['config', 'get', 'client-secret'], { KICK_CLIENT_SECRET: undefined })
        const login = await world.login('user:read,kicks:read')
        return { users, secret, login }
      })

      expect(during.users.code, during.users.stderr).toBe(1)
      expect(during.users.stdout).toBe('')
      expect(lines(during.users.stderr)).toEqual([
        `Error: the system keychain did not answer within 2.5 s, so the login tokens of profile ${world.profile} ` +
          'could not be read: unlock or restart it (e.g. gnome-keyring) and try again, or set KICK_ACCESS_TOKEN',
      ])
      expect(during.users.stderr).not.toContain('not logged in')
      expect(during.secret.code).toBe(1)
      expect(during.secret.stderr).toContain('Error: the system keychain did not answer within 2.5 s')

      // the login during the outage: stored in the 0600 file, with a warning naming it
      expect(during.login.code, during.login.stderr).toBe(0)
      expect(during.login.stderr).toContain(
        `Warning: the system keychain did not answer within 2.5 s: stored the login tokens in ${file} (mode 0600)`,
      )
      const outage = readPair(world, false)!
      expect(outage.scopes).toEqual(['user:read', 'kicks:read'])

      // The keychain answers again, still holding the older pair: the newer pair (the file's) wins.
      const keychainPair = JSON.parse(keychainLookup(world.service, world.profile, 'tokens')!)
      expect(keychainPair.access_token).toBe(old.access_token)
      const token = await world.kick(['auth', 'token'])
      expect(token).toMatchObject({ code: 0, stdout: `${outage.access_token}\n` })
      const leaderboard = await world.kick(['kicks', 'leaderboard'])
      expect(leaderboard.code, leaderboard.stderr).toBe(0)

      // The next refresh starts from the newer pair, so the new login's scopes survive it.
      const refresh = await world.kick(['auth', 'refresh'])
      expect(refresh.code, refresh.stderr).toBe(0)
      const refreshed = readPair(world, true)!
      expect(refreshed.scopes).toEqual(['user:read', 'kicks:read'])
      expect(mock.state.tokens.activeAccess(refreshed.access_token)?.scopes).toEqual([
        'user:read',
        'kicks:read',
      ])
      expect(existsSync(file)).toBe(false)
    },
    // several spawns, three of them waiting out the 2.5 s bound, on a shared machine
    120_000,
  )

  it('a corrupt token file is reported as corrupt, naming the file; logout removes it', async () => {
    const dir = join(world.configDir(), 'credentials')
    const file = join(dir, `${world.profile}.tokens`)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(file, '{"access_token": "half a pa', { mode: 0o600 })
    const result = await world.kick(['users', 'get'], NO_BUS)
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      `Error: the stored login of profile ${world.profile} in ${file} is corrupt: ` +
        `run \`kick login --profile ${world.profile}\` to replace it`,
    ])
    const logout = await world.kick(['logout'], NO_BUS)
    expect(logout.code, logout.stderr).toBe(0)
    expect(existsSync(file)).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })
})
