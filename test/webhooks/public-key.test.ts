import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { UsageError } from '../../src/errors.js'
import { keyCacheFile, PublicKeys } from '../../src/webhooks/public-key.js'
import { KICK_PUBLIC_KEY_PEM, publicKeyFromPem } from '../../src/webhooks/signature.js'
import { FixtureServer } from '../helpers/fixture-server.js'
import { delivery, freshKey } from './helpers.js'

const pemOf = (key: ReturnType<typeof freshKey>): string =>
  key.publicKey.export({ type: 'spki', format: 'pem' }) as string
const keyAnswer = (pem: string) => ({ json: { data: { public_key: pem }, message: 'OK' } })

describe('public key resolution', () => {
  let kick: FixtureServer
  let warnings: string[]
  const warn = (line: string): void => void warnings.push(line)
  const saved = { cache: process.env.XDG_CACHE_HOME, config: process.env.XDG_CONFIG_HOME }

  beforeAll(async () => (kick = await FixtureServer.start()))
  afterAll(() => kick.close())
  beforeEach(() => {
    kick.reset()
    warnings = []
    const home = mkdtempSync(join(tmpdir(), 'kick-keys-'))
    process.env.XDG_CACHE_HOME = join(home, 'cache')
    process.env.XDG_CONFIG_HOME = join(home, 'config')
  })
  afterEach(() => {
    process.env.XDG_CACHE_HOME = saved.cache
    process.env.XDG_CONFIG_HOME = saved.config
  })

  it("falls back to the key in Kick's docs, with a warning, when the endpoint cannot be reached", async () => {
    const closed = await FixtureServer.start()
    await closed.close()
    const keys = await PublicKeys.resolve({ apiUrl: closed.url, warn })
    expect(keys.source).toBe('documented')
    expect(keys.keys()).toHaveLength(1)
    expect(keys.keys()[0]!.key.equals(publicKeyFromPem(KICK_PUBLIC_KEY_PEM))).toBe(true)
    expect(warnings).toEqual([
      `could not fetch the webhook public key from ${closed.url}/public/v1/public-key (ECONNREFUSED); verifying with the public key from Kick's docs`,
    ])
    expect(existsSync(keyCacheFile(closed.url))).toBe(false)
  })

  it("falls back too when Kick's edge answers an HTML challenge instead of the key", async () => {
    kick.stub('GET', '/public/v1/public-key', { status: 403, body: '<html>Just a moment...</html>' })
    const keys = await PublicKeys.resolve({ apiUrl: kick.url, warn })
    expect(keys.source).toBe('documented')
    expect(warnings).toEqual([
      `${kick.url}/public/v1/public-key answered 403 for the webhook public key; verifying with the public key from Kick's docs`,
    ])
    kick.verify()
  })

  it('fetches the key without a token, caches it for 24 h, and fetches again once the cache is older', async () => {
    const key = freshKey()
    kick.stub('GET', '/public/v1/public-key', keyAnswer(pemOf(key)))
    const first = await PublicKeys.resolve({ apiUrl: kick.url, warn })
    expect(first.source).toBe('fetched')
    expect(kick.requests[0]!.headers.authorization).toBeUndefined()
    expect(readFileSync(keyCacheFile(kick.url), 'utf8')).toBe(pemOf(key))

    const second = await PublicKeys.resolve({ apiUrl: kick.url, warn })
    expect(second.source).toBe('cache')
    expect(second.keys()[0]!.key.equals(key.publicKey)).toBe(true)
    expect(kick.requests).toHaveLength(1)

    const dayAgo = new Date(Date.now() - 24 * 3_600_000 - 60_000)
    utimesSync(keyCacheFile(kick.url), dayAgo, dayAgo)
    kick.stub('GET', '/public/v1/public-key', keyAnswer(pemOf(key)))
    const third = await PublicKeys.resolve({ apiUrl: kick.url, warn })
    expect(third.source).toBe('fetched')
    expect(kick.requests).toHaveLength(2)
    expect(warnings).toEqual([])
    kick.verify()
  })

  it('re-fetches the key once when a signature fails (rotation), and not again for the next failure', async () => {
    const old = freshKey()
    const rotated = freshKey()
    kick.stub('GET', '/public/v1/public-key', keyAnswer(pemOf(old)))
    const keys = await PublicKeys.resolve({ apiUrl: kick.url, warn })

    kick.stub('GET', '/public/v1/public-key', keyAnswer(pemOf(rotated)))
    const d = delivery(rotated.privateKey)
    const result = await keys.verify(d.headers, Buffer.from(d.body))
    expect(result.ok).toBe(true)
    expect(kick.requests).toHaveLength(2)
    expect(readFileSync(keyCacheFile(kick.url), 'utf8')).toBe(pemOf(rotated))

    const forged = delivery(freshKey().privateKey)
    const rejected = await keys.verify(forged.headers, Buffer.from(forged.body))
    expect(rejected).toMatchObject({
      ok: false,
      rejection: { status: 401, reason: 'signature does not match' },
    })
    expect(kick.requests).toHaveLength(2)
    kick.verify()
  })

  it('uses --public-key-file alone (nothing fetched) and adds the dev key with --accept-dev-signatures', async () => {
    const key = freshKey()
    const keys = await PublicKeys.resolve({
      apiUrl: kick.url,
      publicKeyFile: key.pemFile,
      acceptDevSignatures: true,
      warn,
    })
    expect(keys.source).toBe('file')
    expect(keys.keys().map((k) => k.owner)).toEqual(['kick', 'dev'])
    const d = delivery(freshKey().privateKey)
    expect((await keys.verify(d.headers, Buffer.from(d.body))).ok).toBe(false)
    expect(kick.requests).toHaveLength(0)
  })

  it('refuses a --public-key-file that is missing or not a PEM key (usage error)', async () => {
    const notPem = join(mkdtempSync(join(tmpdir(), 'kick-pem-')), 'bad.pem')
    writeFileSync(notPem, 'hello')
    await expect(PublicKeys.resolve({ apiUrl: kick.url, publicKeyFile: notPem, warn })).rejects.toThrow(
      new UsageError(`--public-key-file ${notPem} is not a PEM public key`),
    )
    await expect(
      PublicKeys.resolve({ apiUrl: kick.url, publicKeyFile: '/nonexistent.pem', warn }),
    ).rejects.toThrow(/cannot read --public-key-file \/nonexistent.pem/)
  })
})
