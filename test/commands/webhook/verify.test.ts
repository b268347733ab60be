import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS } from '../../../src/kick/events.js'
import { FixtureServer } from '../../helpers/fixture-server.js'
import { isolatedHome, runKick } from '../../helpers/run-kick.js'
import { delivery, freshKey, type TestKey } from '../../webhooks/helpers.js'

const pemOf = (key: TestKey): string => key.publicKey.export({ type: 'spki', format: 'pem' }) as string

/** A saved delivery in the `--file` form, signed with `key`. */
function savedFile(
  key: TestKey,
  edit?: (headers: Record<string, string>) => void,
  timestamp?: string,
): string {
  const d = delivery(key.privateKey, { timestamp })
  edit?.(d.headers)
  const file = join(mkdtempSync(join(tmpdir(), 'kick-saved-')), 'delivery.json')
  writeFileSync(file, JSON.stringify({ headers: d.headers, body: d.body }))
  return file
}

describe('kick webhook verify: the network only when nothing at hand settles it', () => {
  const kickKey = freshKey()
  const devKey = freshKey()
  const stranger = freshKey()
  // KICK_API_URL is a loopback server that records every request: where none is stubbed, none may come
  let kick: FixtureServer
  let home: Record<string, string>
  beforeAll(async () => (kick = await FixtureServer.start()))
  afterAll(() => kick.close())
  beforeEach(() => {
    kick.reset()
    home = { ...isolatedHome(), KICK_API_URL: kick.url }
  })
  const verify = (args: string[]) => runKick(['webhook', 'verify', ...args], { env: home })
  /** the local development key as `kick trigger` keeps it, so that --accept-dev-signatures finds ours */
  const installDevKey = (): void => {
    mkdirSync(join(home.XDG_CONFIG_HOME!, 'kick'), { recursive: true })
    const pem = devKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    writeFileSync(join(home.XDG_CONFIG_HOME!, 'kick', 'dev-webhook-key.pem'), pem, { mode: 0o600 })
  }
  /** Kick's key as `kick listen` caches it for KICK_API_URL */
  const cacheKickKey = (): void => {
    const tag = createHash('sha256').update(kick.url).digest('hex').slice(0, 16)
    mkdirSync(join(home.XDG_CACHE_HOME!, 'kick'), { recursive: true })
    writeFileSync(join(home.XDG_CACHE_HOME!, 'kick', `public-key-${tag}.pem`), pemOf(kickKey))
  }

  it('--public-key-file: valid or not, nothing is fetched', async () => {
    const pem = join(mkdtempSync(join(tmpdir(), 'kick-pem-')), 'kick.pem')
    writeFileSync(pem, pemOf(kickKey))
    expect((await verify(['--file', savedFile(kickKey), '--public-key-file', pem])).code).toBe(0)
    const forged = await verify(['--file', savedFile(stranger), '--public-key-file', pem])
    expect(forged).toMatchObject({ code: 1, stderr: 'Error: invalid delivery: signature does not match\n' })
    const both = await verify([
      '--file',
      savedFile(stranger),
      '--public-key-file',
      pem,
      '--accept-dev-signatures',
    ])
    expect(both.code).toBe(1)
    expect(kick.requests).toEqual([])
  })

  it('--accept-dev-signatures settles a delivery the development key signed, with no fetch', async () => {
    installDevKey()
    const valid = await verify(['--file', savedFile(devKey), '--accept-dev-signatures'])
    expect(valid.code).toBe(0)
    expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, key: 'dev' })
    // signed with the dev key but stale: settled too, no key of Kick's needed to say so
    const stale = savedFile(devKey, undefined, '2025-04-01T07:56:19Z')
    expect(await verify(['--file', stale, '--accept-dev-signatures', '--max-age', '10m'])).toMatchObject({
      code: 1,
      stderr: 'Error: invalid delivery: timestamp 2025-04-01T07:56:19Z is older than 10m (replay)\n',
    })
    expect(kick.requests).toEqual([])
  })

  it('a malformed delivery needs no key at all', async () => {
    const unsigned = savedFile(kickKey, (headers) => delete headers[EVENT_HEADERS.signature])
    expect(await verify(['--file', unsigned])).toMatchObject({
      code: 1,
      stderr: 'Error: invalid delivery: missing header Kick-Event-Signature\n',
    })
    const httpDate = savedFile(
      kickKey,
      (headers) => (headers[EVENT_HEADERS.timestamp] = 'Wed, 25 Nov 2026 13:44:07 GMT'),
    )
    expect(await verify(['--file', httpDate])).toMatchObject({
      code: 1,
      stderr: 'Error: invalid delivery: timestamp "Wed, 25 Nov 2026 13:44:07 GMT" is not RFC 3339\n',
    })
    expect(kick.requests).toEqual([])
  })

  it('the cached key when there is one, not re-fetched when it does not match', async () => {
    cacheKickKey()
    installDevKey()
    expect((await verify(['--file', savedFile(kickKey)])).code).toBe(0)
    // neither the dev key nor the cached key signed this one: invalid, and still nothing fetched
    const forged = await verify(['--file', savedFile(stranger), '--accept-dev-signatures'])
    expect(forged).toMatchObject({ code: 1, stderr: 'Error: invalid delivery: signature does not match\n' })
    expect(kick.requests).toEqual([])
  })

  it("fetches Kick's key once when nothing else settles it, and caches it for the next run", async () => {
    kick.stub('GET', '/public/v1/public-key', {
      json: { data: { public_key: pemOf(kickKey) }, message: 'OK' },
    })
    expect((await verify(['--file', savedFile(kickKey)])).code).toBe(0)
    expect((await verify(['--file', savedFile(kickKey)])).code).toBe(0)
    expect(kick.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /public/v1/public-key',
    ])
    kick.verify()
  })

  it('says in its help when it goes to the network', async () => {
    const help = await runKick(['webhook', 'verify', '--help'], { env: home })
    expect(help.code).toBe(0)
    expect(help.stdout).not.toMatch(/offline/i)
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('fetched from KICK_API_URL only when none is cached')
  })
})
