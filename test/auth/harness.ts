import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, beforeEach } from 'vitest'

import { type MockKick, startMockKick } from '../../src/mock/server.js'
import { BIN, baseEnv, isolatedHome, type KickResult, ROOT, runKick } from '../helpers/run-kick.js'

export const CLIENT_ID = '01JTESTC11ENT1D000000000000'
export const CLIENT_SECRET = 'test-client-secret-0123456789'

/**
 * The `$BROWSER` the login tests give kick: a script that plays the user's browser. `BROWSER_MODE` says
 * what it does with the authorize URL: `follow` the redirects (approve), `forge` (first a callback with a forged
 * state, one with an `error=` and no state, and malformed requests on raw sockets, whose answers' statuses it
 * writes to BROWSER_LOG.answers; then the real callback), `deny`
 * (`error=access_denied`), or `none` (a user who never comes back). It records the URL it was given.
 */
const BROWSER_SCRIPT = `
import { appendFileSync } from 'node:fs'
import { connect } from 'node:net'
const url = process.argv[2]
appendFileSync(process.env.BROWSER_LOG, url + '\\n')
const mode = process.env.BROWSER_MODE ?? 'follow'
if (mode === 'follow') await fetch(url)
if (mode === 'forge') {
  // what any web page can make a browser do while a login waits, then the real callback
  const answer = await fetch(url, { redirect: 'manual' })
  const callback = new URL(answer.headers.get('location'))
  const forged = new URL(callback)
  forged.searchParams.set('state', 'forged-state')
  const denied = new URL(callback.origin + callback.pathname)
  denied.searchParams.set('error', 'access_denied')
  const statuses = [(await fetch(forged)).status, (await fetch(denied)).status]
  const raw = (head) =>
    new Promise((resolve) => {
      let text = ''
      const socket = connect(Number(callback.port), '127.0.0.1', () => socket.end(head))
      socket.setEncoding('latin1').on('data', (chunk) => (text += chunk))
      // a reset (the server hung up on what it would not read) is no answer: 0
      socket.on('error', () => undefined).on('close', () => resolve(Number(/^HTTP\\/1\\.1 (\\d+)/.exec(text)?.[1] ?? 0)))
    })
  const host = 'Host: localhost:' + callback.port + '\\r\\nConnection: close\\r\\n'
  for (const target of JSON.parse(process.env.BROWSER_RAW_TARGETS ?? '[]'))
    statuses.push(await raw('GET ' + target + ' HTTP/1.1\\r\\n' + host + '\\r\\n'))
  statuses.push(await raw('GET /callback HTTP/1.1\\r\\n' + host + 'X-Big: ' + 'a'.repeat(20000) + '\\r\\n\\r\\n'))
  appendFileSync(process.env.BROWSER_LOG + '.answers', statuses.join(' '))
  await fetch(callback)
}
if (mode === 'wrong-code') {
  const answer = await fetch(url, { redirect: 'manual' })
  const callback = new URL(answer.headers.get('location'))
  callback.searchParams.set('code', 'a-code-kick-never-issued')
  await fetch(callback)
}
if (mode === 'deny') {
  const asked = new URL(url).searchParams
  const callback = new URL(asked.get('redirect_uri'))
  callback.searchParams.set('error', 'access_denied')
  callback.searchParams.set('error_description', process.env.BROWSER_ERROR_DESCRIPTION ?? 'The user denied the request')
  callback.searchParams.set('state', asked.get('state'))
  await fetch(callback)
}
`

/** A D-Bus address where nothing listens: a machine without a keychain (secrets go to the 0600 file). */
export const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kick-test-bus' }

/** One test's world: its own home (config dir, fallback files), profile name and redirect port. */
export class AuthWorld {
  readonly home = isolatedHome()
  readonly service = serviceFor(this.home)
  readonly profile = `t${randomBytes(4).toString('hex')}`
  readonly browserLog: string
  readonly browser: string

  constructor(
    readonly mock: MockKick,
    readonly port: number,
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'kick-browser-'))
    this.browser = join(dir, 'browser.mjs')
    this.browserLog = join(dir, 'urls.log')
    writeFileSync(this.browser, BROWSER_SCRIPT)
    writeFileSync(this.browserLog, '')
  }

  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      ...this.home,
      KICK_API_URL: this.mock.url,
      KICK_AUTH_URL: this.mock.url,
      KICK_CLIENT_ID: CLIENT_ID,
      KICK_CLIENT_SECRET: CLIENT_SECRET,
      KICK_REDIRECT_URI: `http://localhost:${this.port}/callback`,
      KICK_PROFILE: this.profile,
      BROWSER: `${process.execPath} ${this.browser}`,
      BROWSER_LOG: this.browserLog,
      ...extra,
    }
  }

  kick(args: string[], extra: Record<string, string | undefined> = {}, input?: string): Promise<KickResult> {
    return runKick(args, { env: this.env(extra), input })
  }

  login(
    scopes = 'user:read,chat:write',
    extra: Record<string, string | undefined> = {},
  ): Promise<KickResult> {
    return this.kick(['login', '--scopes', scopes], extra)
  }

  /** The statuses of the `forge` browser's hostile requests, in order. */
  forgedAnswers(): number[] {
    return readFileSync(`${this.browserLog}.answers`, 'utf8').split(' ').map(Number)
  }

  /** The authorize URLs the browser script was sent to. */
  browserUrls(): URL[] {
    return readFileSync(this.browserLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => new URL(line))
  }

  configDir(): string {
    return join(this.home.XDG_CONFIG_HOME, 'kick')
  }

  /** Every file under the isolated home that contains `text`. */
  filesContaining(text: string): string[] {
    return walk(this.home.HOME).filter((file) => readFileSync(file, 'utf8').includes(text))
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : []
  })
}

/** A port that was free a moment ago, for a redirect URI. */
export async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Whether a real Secret Service answers on this machine's D-Bus session (CI: `.ci/run` starts one with an
 * unlocked gnome-keyring). The keychain tests run only then; everything else runs either way.
 */
export function keyringAvailable(): boolean {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false
  // an item of this process's own: test files probe at the same time, and one's clear must not empty another's
  const probe = ['service', 'kick-cli-test-probe', 'username', `probe-${process.pid}-${randomUUID()}`]
  const stored = spawnSync('secret-tool', ['store', '--label', 'kick test probe', ...probe], {
    input: 'probe',
    timeout: 5000,
  })
  if (stored.status !== 0) return false
  const found = spawnSync('secret-tool', ['lookup', ...probe], { encoding: 'utf8', timeout: 5000 })
  spawnSync('secret-tool', ['clear', ...probe], { timeout: 5000 })
  return found.stdout === 'probe'
}

/**
 * The keychain service kick files a config dir's secrets under: `kick-cli` for the standard config dir,
 * `kick-cli:<dir>` for one moved by XDG_CONFIG_HOME, as every test's isolated home is.
 */
export function serviceFor(home: Record<string, string>): string {
  return `kick-cli:${join(home.XDG_CONFIG_HOME, 'kick')}`
}

/** What the keychain holds for `<service>` / `<profile>:<item>`, read with `secret-tool` as a user would. */
export function keychainLookup(service: string, profile: string, item: string): string | undefined {
  const result = spawnSync('secret-tool', ['lookup', 'service', service, 'username', `${profile}:${item}`], {
    encoding: 'utf8',
    timeout: 5000,
  })
  return result.status === 0 && result.stdout ? result.stdout : undefined
}

export function keychainStore(service: string, profile: string, item: string, value: string): void {
  execFileSync(
    'secret-tool',
    ['store', '--label', 'kick test', 'service', service, 'username', `${profile}:${item}`],
    {
      input: value,
      timeout: 5000,
    },
  )
}

/** Clears every entry kick made for a config dir (all its profiles), so tests leave the keyring as found. */
export function keychainClear(service: string): void {
  spawnSync('secret-tool', ['clear', 'service', service], { timeout: 5000 })
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777
}

/**
 * A D-Bus socket that accepts connections and never answers: the keychain that hangs. Counts connections,
 * so a test can also prove nothing tried the keychain at all.
 */
export async function hangingBus(): Promise<{
  address: string
  connections: () => number
  close: () => Promise<void>
}> {
  const path = join(mkdtempSync(join(tmpdir(), 'kick-bus-')), 'bus')
  const sockets: Socket[] = []
  let count = 0
  const server: NetServer = createNetServer((socket) => {
    count++
    sockets.push(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return {
    address: `unix:path=${path}`,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A running `kick` with stdin open, for `--no-browser` where the user pastes the URL back. */
export function startKick(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(env), stdio: 'pipe' })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<KickResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  exited.finally(() => clearTimeout(timer))
  return {
    child,
    exited,
    /** resolves with stderr once `pattern` appears in it */
    async stderrMatching(pattern: RegExp): Promise<RegExpMatchArray> {
      for (let waited = 0; waited < 15_000; waited += 50) {
        const match = stderr.match(pattern)
        if (match) return match
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`stderr never matched ${pattern}:\n${stderr}`)
    },
  }
}

/** The stored pair of a world's profile, wherever it is (keychain when one answers, else the 0600 file). */
export interface StoredPair {
  access_token: string
  refresh_token?: string
  expires_at: number
  scopes: string[]
  client_id?: string
}

export function readPair(world: AuthWorld, keyring: boolean): StoredPair | undefined {
  const text = keyring
    ? keychainLookup(world.service, world.profile, 'tokens')
    : readIfExists(join(world.configDir(), 'credentials', `${world.profile}.tokens`))
  return text ? (JSON.parse(text) as StoredPair) : undefined
}

/** Rewrites the stored pair in place, as time passing would (an access token near or past its expiry). */
export function rewritePair(world: AuthWorld, keyring: boolean, change: (pair: StoredPair) => void): void {
  const pair = readPair(world, keyring)
  if (!pair) throw new Error('no stored pair to rewrite')
  change(pair)
  if (keyring) keychainStore(world.service, world.profile, 'tokens', JSON.stringify(pair))
  else writeFileSync(join(world.configDir(), 'credentials', `${world.profile}.tokens`), JSON.stringify(pair))
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The hooks every auth test file needs: one mock Kick for the file (enforcing the client secret), a fresh
 * world per test, and the test's keychain entries cleared after it. `use` receives them.
 */
export function authWorldHooks(use: (mock: MockKick, world: AuthWorld) => void): void {
  let mock: MockKick
  beforeAll(async () => {
    // the mock signs webhooks with the dev key it keeps in the config dir: never the developer's own
    process.env.XDG_CONFIG_HOME = isolatedHome().XDG_CONFIG_HOME
    mock = await startMockKick({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
  })
  afterAll(() => mock.close())
  beforeEach(async (context) => {
    const world = new AuthWorld(mock, await freePort())
    use(mock, world)
    context.onTestFinished(() => keychainClear(world.service))
  })
}
