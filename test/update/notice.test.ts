import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { checkLatest } from '../../src/update/check.js'
import { isNewer } from '../../src/update/notice.js'
import { isolatedHome, ROOT, runKick } from '../helpers/run-kick.js'

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
const NOTICE = `A new version of kick is available: ${VERSION} → 99.0.0. Update with: npm install -g kick-cli@latest`
// a command that needs no network of its own
const COMMAND = ['webhook', 'sample', 'kicks.gifted']

/** A registry on loopback serving kick-cli's metadata (latest 99.0.0 unless told), counting what it was asked. */
class RegistryStub {
  readonly asked: { path: string; accept?: string }[] = []
  latest: unknown = '99.0.0'
  status = 200
  private readonly server: Server = createServer((req, res) => {
    this.asked.push({ path: req.url!, accept: req.headers.accept })
    res.writeHead(this.status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ name: 'kick-cli', 'dist-tags': { latest: this.latest }, versions: {} }))
  })
  url = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** Waits for something a detached child does; fails with `what` after a generous bound. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`never happened: ${what}`)
}

describe('the update notice', () => {
  const registry = new RegistryStub()
  let home: ReturnType<typeof isolatedHome>
  let state: string
  beforeAll(() => registry.start())
  afterAll(() => registry.close())
  beforeEach(() => {
    home = isolatedHome()
    state = join(home.XDG_CACHE_HOME, 'kick', 'update-check')
    registry.asked.length = 0
    registry.latest = '99.0.0'
    registry.status = 200
  })
  /** kick as a person runs it: the notifier on (run-kick.ts turns it off for every other test), CI unset */
  const env = (extra: Record<string, string | undefined> = {}) => ({
    ...home,
    KICK_NO_UPDATE_NOTIFIER: undefined,
    CI: undefined,
    npm_config_registry: registry.url,
    ...extra,
  })
  const inTerminal = (args: string[], extra: Record<string, string | undefined> = {}) =>
    runKick(args, { terminal: true, env: env(extra) })
  /** a run that is sure to start a check (state older than an interval of 0), and its request come */
  const sentinel = async () => {
    const before = registry.asked.length
    await inTerminal(COMMAND, { KICK_UPDATE_CHECK_INTERVAL_MS: '0' })
    await until(() => registry.asked.length > before, 'the sentinel run asked the registry')
  }

  it('asks the registry after a run in a terminal, and the next run says a newer kick is out', async () => {
    const first = await inTerminal(COMMAND)
    expect(first.code).toBe(0)
    expect(first.stdout).not.toContain('new version')
    await until(
      () => existsSync(state) && readFileSync(state, 'utf8') === '99.0.0\n',
      'the state file written',
    )
    expect(registry.asked).toEqual([
      { path: '/kick-cli', accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
    ])

    const second = await inTerminal(COMMAND)
    expect(second.code).toBe(0)
    // after the command's output, one line
    expect(second.stdout.trimEnd().split('\n').at(-1)).toBe(NOTICE)
    expect(second.stdout.split(NOTICE)).toHaveLength(2)
    expect(JSON.parse(second.stdout.replace(`${NOTICE}\n`, ''))).toMatchObject({
      sender: { username: 'gift_sender' },
    })

    // once a day: the second run asked nothing (the sentinel's request is the only other one)
    await sentinel()
    expect(registry.asked).toHaveLength(2)
  })

  it('says nothing and asks nothing in a pipe, with CI, with --json or --jq, or with KICK_NO_UPDATE_NOTIFIER', async () => {
    mkdirSync(join(home.XDG_CACHE_HOME, 'kick'), { recursive: true })
    writeFileSync(state, '99.0.0\n')
    const stale = { KICK_UPDATE_CHECK_INTERVAL_MS: '0' }
    const piped = await runKick(COMMAND, { env: env(stale) })
    expect(piped.code).toBe(0)
    expect(piped.stderr).toBe('')
    for (const [args, extra] of [
      [COMMAND, { CI: 'true' }],
      [[...COMMAND, '--json'], {}],
      [[...COMMAND, '--jq', '.gifter.username'], {}],
      [COMMAND, { KICK_NO_UPDATE_NOTIFIER: '1' }],
    ] as const) {
      const result = await inTerminal([...args], { ...stale, ...extra })
      expect(result.code, args.join(' ')).toBe(0)
      expect(result.stdout, `${args.join(' ')} ${JSON.stringify(extra)}`).not.toContain('new version')
    }
    await sentinel()
    expect(registry.asked).toHaveLength(1)
  })

  it('a registry that is down changes nothing: no notice, the same output and exit', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`
    await new Promise((resolve) => closed.close(resolve))
    const quiet = await inTerminal(COMMAND, { KICK_NO_UPDATE_NOTIFIER: '1' })
    const first = await inTerminal(COMMAND, { npm_config_registry: down })
    await until(() => existsSync(state), 'the check claimed the state file')
    const second = await inTerminal(COMMAND, { npm_config_registry: down })
    for (const result of [first, second]) {
      expect(result.code).toBe(quiet.code)
      expect(result.stdout.replace(/"(created_at|message_id|id)": "[^"]*"/g, '')).toBe(
        quiet.stdout.replace(/"(created_at|message_id|id)": "[^"]*"/g, ''),
      )
    }
  })

  it('only a newer version is announced', () => {
    expect(isNewer('0.2.0', '0.1.0')).toBe(true)
    expect(isNewer('0.1.10', '0.1.9')).toBe(true)
    expect(isNewer('1.0.0', '0.99.99')).toBe(true)
    expect(isNewer('0.1.0', '0.1.0-beta.2')).toBe(true)
    expect(isNewer('0.1.0-beta.10', '0.1.0-beta.9')).toBe(true)
    expect(isNewer('0.1.0', '0.1.0')).toBe(false)
    expect(isNewer('0.0.9', '0.1.0')).toBe(false)
    expect(isNewer('0.2.0-rc.1', '0.2.0')).toBe(false)
    expect(isNewer('', '0.1.0')).toBe(false)
    expect(isNewer('9.9.9\u001b[31m', '0.1.0')).toBe(false)
  })
})

describe('checkLatest (the detached child)', () => {
  const registry = new RegistryStub()
  beforeAll(() => registry.start())
  afterAll(() => registry.close())
  beforeEach(() => {
    registry.asked.length = 0
    registry.status = 200
  })
  const stateFile = () => join(isolatedHome().XDG_CACHE_HOME, 'kick', 'update-check')

  it('writes dist-tags.latest, under a registry path too', async () => {
    registry.latest = '1.2.3'
    const state = stateFile()
    expect(await checkLatest(`${registry.url}npm/registry`, state)).toBe('1.2.3')
    expect(readFileSync(state, 'utf8')).toBe('1.2.3\n')
    expect(registry.asked.map(({ path }) => path)).toEqual(['/npm/registry/kick-cli'])
  })

  it('keeps the version it had for an answer that is not one, and marks the day as checked', async () => {
    const state = stateFile()
    mkdirSync(join(state, '..'), { recursive: true })
    writeFileSync(state, '0.5.0\n')
    const old = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000)
    const { utimesSync } = await import('node:fs')
    utimesSync(state, old, old)
    for (const latest of ['9.9.9\u001b]0;owned\u0007', 42, null, 'latest']) {
      registry.latest = latest
      expect(await checkLatest(registry.url, state), String(latest)).toBeUndefined()
    }
    registry.status = 404
    registry.latest = '2.0.0'
    expect(await checkLatest(registry.url, state)).toBeUndefined()
    expect(readFileSync(state, 'utf8')).toBe('0.5.0\n')
    expect(statSync(state).mtimeMs).toBeGreaterThan(old.getTime() + 60_000)
  })
})
