import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { isolatedHome, runKick, terminalKick } from '../helpers/run-kick.js'
import { keychainClear, keychainLookup, keyringAvailable, serviceFor } from '../auth/harness.js'

const keyring = keyringAvailable()

describe('kick config', () => {
  const profile = `c${process.pid}${Date.now() % 100000}`
  let home: ReturnType<typeof isolatedHome>
  let configFile: string
  beforeEach(() => {
    home = isolatedHome()
    configFile = join(home.XDG_CONFIG_HOME, 'kick', 'config.json')
  })
  const kick = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
    runKick(args, {
      env: { ...home, KICK_PROFILE: profile, KICK_API_URL: undefined, KICK_AUTH_URL: undefined, ...env },
      input,
    })

  afterEach(() => keychainClear(serviceFor(home)))

  it('sets, gets, lists and unsets keys per profile, in a 0600 file', async () => {
    expect((await kick(['config', 'set', 'client-id', '01JCLIENT'])).code).toBe(0)
    expect((await kick(['config', 'set', 'api-url', 'http://127.0.0.1:3000/'])).code).toBe(0)
    const setId = await kick(['config', 'set', 'broadcaster-id', '721956'])
    expect(JSON.parse(setId.stdout)).toEqual({
      profile,
      key: 'broadcaster-id',
      value: '721956',
      stored_in: 'config.json',
    })
    expect(statSync(configFile).mode & 0o777).toBe(0o600)
    expect(statSync(join(home.XDG_CONFIG_HOME, 'kick')).mode & 0o777).toBe(0o700)
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({
      profiles: {
        [profile]: {
          'client-id': '01JCLIENT',
          'api-url': 'http://127.0.0.1:3000',
          'broadcaster-id': '721956',
        },
      },
    })

    // one value: bare also in a pipe, so `$(kick config get api-url)` works; JSON only with --json
    const get = await kick(['config', 'get', 'api-url'])
    expect(get).toMatchObject({ code: 0, stderr: '', stdout: 'http://127.0.0.1:3000\n' })
    const getJson = await kick(['config', 'get', 'api-url', '--json'])
    expect(getJson).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(getJson.stdout)).toEqual({
      key: 'api-url',
      value: 'http://127.0.0.1:3000',
      source: 'file',
    })

    const list = await kick(['config', 'list'], {
      KICK_CLIENT_SECRET: undefined,
      KICK_REDIRECT_URI: 'http://localhost:9999/cb',
    })
    expect(JSON.parse(list.stdout)).toEqual([
      { key: 'client-id', value: '01JCLIENT', source: 'file' },
      { key: 'client-secret', value: null, source: 'unset' },
      { key: 'redirect-uri', value: 'http://localhost:9999/cb', source: 'env' },
      { key: 'broadcaster-id', value: '721956', source: 'file' },
      { key: 'api-url', value: 'http://127.0.0.1:3000', source: 'file' },
      { key: 'auth-url', value: 'https://id.kick.com', source: 'default' },
    ])

    // another profile sees none of it
    const other = await kick(['config', 'get', 'client-id', '--profile', `${profile}x`])
    expect(other.code).toBe(1)
    expect(other.stderr.trim()).toBe('Error: client-id is not set: run `kick config set client-id VALUE`')

    const unset = await kick(['config', 'unset', 'broadcaster-id'])
    expect(JSON.parse(unset.stdout)).toEqual({ key: 'broadcaster-id', removed: true })
    expect(JSON.parse(readFileSync(configFile, 'utf8')).profiles[profile]['broadcaster-id']).toBeUndefined()
    expect((await kick(['config', 'get', 'broadcaster-id'])).code).toBe(1)
  })

  it('the configured api-url is where requests go', async () => {
    await kick(['config', 'set', 'api-url', 'http://127.0.0.1:9'])
    const result = await kick(['users', 'get'], { KICK_ACCESS_TOKEN: 'tok' })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('could not reach http://127.0.0.1:9')
  })

  it('rejects a KICK_API_URL or KICK_AUTH_URL that is no http(s) URL with exit 2, before any request', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { KICK_API_URL: 'not-a-url' },
        'Error: KICK_API_URL must be a URL such as https://example.com, not "not-a-url"\n',
      ],
      [
        { KICK_AUTH_URL: 'ftp://id.kick.com' },
        'Error: KICK_AUTH_URL must be an http:// or https:// URL, not "ftp://id.kick.com"\n',
      ],
    ]
    for (const [env, message] of cases) {
      const result = await kick(['users', 'get'], { KICK_ACCESS_TOKEN: 'tok', ...env })
      expect(result.code, JSON.stringify(env)).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toBe(message)
    }
  })

  it('rejects bad keys and values with exit 2 before storing anything', async () => {
    const cases: [string[], string][] = [
      [['config', 'set', 'colour', 'red'], 'Expected colour to be one of'],
      [
        ['config', 'set', 'api-url', 'not a url'],
        'Error: api-url must be a URL such as https://example.com, not "not a url"',
      ],
      [
        ['config', 'set', 'auth-url', 'ftp://id.kick.com'],
        'Error: auth-url must be an http:// or https:// URL',
      ],
      [
        ['config', 'set', 'broadcaster-id', '12x'],
        'Error: broadcaster-id must be a positive integer (a Kick user id), not "12x"',
      ],
      [['config', 'set', 'broadcaster-id', '-4'], 'Error: broadcaster-id must be a positive integer'],
      [
        ['config', 'set', 'redirect-uri', 'https://example.com/cb'],
        'Error: redirect-uri must be an http:// loopback URL',
      ],
      [['config', 'set', 'client-id'], 'Error: missing VALUE: kick config set client-id VALUE'],
    ]
    for (const [args, message] of cases) {
      const result = await kick(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain(message)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(() => statSync(configFile)).toThrow()
  })

  it('keeps client-secret out of config.json, in the keychain or the 0600 fallback, never printed', async () => {
    const secret = 'very-secret-value-42'
    // what is tested here is where the secret goes, not the keychain's 2.5 s bound: on a loaded machine
    // gnome-keyring can take longer than that to answer (the bound has tests of its own)
    const patient = { KICK_KEYCHAIN_TIMEOUT_MS: '20000' }
    const set = await kick(['config', 'set', 'client-secret', '-'], patient, `${secret}\n`)
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).not.toContain(secret)
    const stored = JSON.parse(set.stdout)
    expect(stored.value).toBe('(hidden)')
    if (keyring) {
      expect(stored.stored_in).toBe('keychain')
      expect(keychainLookup(serviceFor(home), profile, 'client-secret')).toBe(secret)
    }
    await kick(['config', 'set', 'client-id', 'abc'], patient)
    const files = walk(home.HOME).filter((file) => readFileSync(file, 'utf8').includes(secret))
    if (keyring) expect(files).toEqual([])
    expect(readFileSync(configFile, 'utf8')).not.toContain(secret)

    // set but never printed: `$(kick config get client-secret)` fails, saying where the secret is
    const where = keyring
      ? `the system keychain (entry ${profile}:client-secret)`
      : `${join(home.XDG_CONFIG_HOME, 'kick', 'credentials', `${profile}.client-secret`)} (mode 0600)`
    for (const args of [
      ['config', 'get', 'client-secret'],
      ['config', 'get', 'client-secret', '--json'],
    ]) {
      const get = await kick(args, patient)
      expect(get.code, args.join(' ')).toBe(1)
      expect(get.stdout).toBe('')
      expect(get.stderr).toBe(`Error: client-secret is set but never printed: it is kept in ${where}\n`)
    }
    const list = await kick(['config', 'list', '--json'], patient)
    expect(JSON.parse(list.stdout)).toContainEqual({
      key: 'client-secret',
      value: '(hidden)',
      source: keyring ? 'keychain' : 'secret-file',
    })
    expect((await kick(['config', 'list'], patient)).stdout).not.toContain(secret)

    const unset = await kick(['config', 'unset', 'client-secret'], patient)
    expect(JSON.parse(unset.stdout)).toEqual({ key: 'client-secret', removed: true })
    expect(keychainLookup(serviceFor(home), profile, 'client-secret')).toBeUndefined()
  })

  it('fails naming KICK_CLIENT_SECRET for a client secret that comes from the environment', async () => {
    const get = await kick(['config', 'get', 'client-secret'], { KICK_CLIENT_SECRET: 'from-env-secret' })
    expect(get.code).toBe(1)
    expect(get.stdout).toBe('')
    expect(get.stderr).toBe(
      'Error: client-secret is set but never printed: it is kept in the KICK_CLIENT_SECRET environment variable\n',
    )
  })

  it.runIf(keyring)(
    'files secrets under kick-cli for the standard config dir, kick-cli:<dir> for a moved one',
    async () => {
      const standard = { XDG_CONFIG_HOME: undefined }
      expect((await kick(['config', 'set', 'client-secret', 'in-standard'], standard)).code).toBe(0)
      try {
        expect(keychainLookup('kick-cli', profile, 'client-secret')).toBe('in-standard')
        expect(keychainLookup(serviceFor(home), profile, 'client-secret')).toBeUndefined()
        // the moved config dir does not see it
        expect((await kick(['config', 'get', 'client-secret'])).code).toBe(1)
      } finally {
        execFileSync('secret-tool', ['clear', 'service', 'kick-cli', 'username', `${profile}:client-secret`])
      }
    },
  )

  it('stores client-secret in a 0600 file with a warning when no keychain answers', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kick-test-bus' }
    const result = await kick(['config', 'set', 'client-secret', 's3cret'], env)
    const file = join(home.XDG_CONFIG_HOME, 'kick', 'credentials', `${profile}.client-secret`)
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      `: stored the client secret in ${file} (mode 0600) instead of the keychain`,
    )
    // typed on the command line: said to be in the shell history and `ps`, with the ways that are not
    expect(result.stderr).toContain(
      'Warning: the client secret typed on the command line is now in your shell history and visible to ' +
        'other users in `ps`: next time leave it out to be asked (hidden), or pass - to read it from stdin\n',
    )
    const piped = await kick(['config', 'set', 'client-secret', '-'], env, 's3cret\n')
    expect(piped.code).toBe(0)
    expect(piped.stderr).not.toContain('shell history')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe('s3cret')
    expect((await kick(['config', 'get', 'client-secret'], env)).stderr).toBe(
      `Error: client-secret is set but never printed: it is kept in ${file} (mode 0600)\n`,
    )
    expect(JSON.parse((await kick(['config', 'unset', 'client-secret'], env)).stdout).removed).toBe(true)
    expect(() => statSync(file)).toThrow()
  })
})

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : []
  })
}

describe('kick config set client-secret at a terminal', () => {
  const secret = 'typed-secret-0123456789'

  it('without a value asks for it with the input hidden', async () => {
    const home = isolatedHome()
    const session = terminalKick(['config', 'set', 'client-secret'], home)
    await session.waitFor(/Client secret:/)
    session.type(`${secret}\r`)
    const result = await session.exited
    expect(result.code, result.output).toBe(0)
    expect(result.output).not.toContain(secret)
    expect(result.output).toMatch(/Set client-secret \(in /)
  })

  it('with "-" says it reads stdin until Ctrl-D, and takes what is typed', async () => {
    const home = isolatedHome()
    const session = terminalKick(['config', 'set', 'client-secret', '-'], home)
    await session.waitFor(/from stdin until Ctrl-D/)
    expect(session.output()).toContain(
      'Reading client-secret from stdin until Ctrl-D (typing shows; leave out "-" to be asked with the input hidden)',
    )
    session.type(`${secret}\n\u0004`)
    const result = await session.exited
    expect(result.code, result.output).toBe(0)
    expect(result.output).toMatch(/Set client-secret \(in /)
    const { stdout } = await runKick(['config', 'list', '--json'], { env: home })
    expect(JSON.parse(stdout)).toContainEqual(
      expect.objectContaining({ key: 'client-secret', source: expect.not.stringMatching(/^unset$/) }),
    )
  })
})
