import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { FixtureServer, ok } from '../helpers/fixture-server.js'
import { lines, TOKEN, useFixtureKick } from '../helpers/fixture-kick.js'
import { BIN, baseEnv, isolatedHome, ROOT, runKick } from '../helpers/run-kick.js'

const MiB = 1024 * 1024

/** Kick's error bodies as really observed (shared/kick-api/REFERENCE.md, "Observed error bodies"). */
describe("Kick's real error bodies, through the real binary", () => {
  const { fixture, kick } = useFixtureKick()

  it('400 with the detail as a string in data: the detail, not the generic message', async () => {
    fixture().stub('POST', '/public/v1/chat', {
      status: 400,
      json: { data: 'Channel not found', message: 'Bad request' },
    })
    const result = await kick(['chat', 'send', 'hi', '--broadcaster-id', '1', '--type', 'user'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('Error: Kick answered 400 Bad Request: Channel not found\n')
  })

  it('400 on channels with an app token and no parameter: the detail', async () => {
    fixture().stub('GET', '/public/v1/channels', {
      status: 400,
      json: { data: 'broadcaster_user_id is required for app tokens', message: 'Bad request' },
    })
    const result = await kick(['channels', 'get', '--slug', 'xqc'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'Error: Kick answered 400 Bad Request: broadcaster_user_id is required for app tokens\n',
    )
  })

  it('401 {"data":{},"message":"Unauthorized"} on chat: the status once, the env token named', async () => {
    fixture().stub('POST', '/public/v1/chat', {
      status: 401,
      json: { data: {}, message: 'Unauthorized' },
    })
    const result = await kick(['chat', 'send', 'hi', '--broadcaster-id', '1', '--type', 'user'])
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      'Error: Kick rejected the token in KICK_ACCESS_TOKEN (401 Unauthorized): set a valid one, or unset it to use the stored login\n',
    )
    expect(result.stderr).not.toContain('kick login')
  })

  it('500 on chat --type bot: the status once (not "Internal Server Error: Internal server error")', async () => {
    fixture().stub('POST', '/public/v1/chat', {
      status: 500,
      json: { data: null, message: 'Internal server error' },
    })
    const result = await kick(['chat', 'send', 'hi', '--type', 'bot'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('Error: Kick answered 500 Internal Server Error\n')
  })

  it("403 for a reward another app made: exit 1, Kick's words, no login advice", async () => {
    fixture().stub('PATCH', '/public/v1/channels/rewards/01KBHE78QE4HZY1617DK5FC7YD', {
      status: 403,
      json: { data: 'only the app that created a reward may change it', message: 'Forbidden' },
    })
    const result = await kick(['rewards', 'update', '01KBHE78QE4HZY1617DK5FC7YD', '--title', 'x'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'Error: Kick refused the request (403 Forbidden: only the app that created a reward may change it)\n',
    )
  })

  it('--verbose shows the whole body, control characters escaped like the error line', async () => {
    const body = 'oops \u001B]0;pwned\u0007 \u001B[31mred\u001B[0m\nsecond line\r'
    fixture().stub('GET', '/public/v1/livestreams/stats', {
      status: 400,
      body,
      headers: { 'content-type': 'text/plain' },
    })
    const result = await kick(['livestreams', 'stats', '--verbose'])
    expect(result.code).toBe(1)
    expect([...result.stderr].filter((char) => '\u0007\u001B\r'.includes(char))).toEqual([])
    const stderr = lines(result.stderr)
    expect(stderr).toContain(
      'Error: Kick answered 400 Bad Request: oops \\e]0;pwned\\u0007 \\e[31mred\\e[0m second line',
    )
    // the body as its own lines, after the error line
    expect(stderr.slice(-2)).toEqual(['oops \\e]0;pwned\\u0007 \\e[31mred\\e[0m', 'second line\\r'])
  })

  it('kick auth status: an inactive token is exit 4, with the status still on stdout', async () => {
    fixture().stub(
      'POST',
      '/oauth/token/introspect',
      ok({ active: false, client_id: null, token_type: null, scope: null, exp: null }),
    )
    const result = await kick(['auth', 'status'], { KICK_AUTH_URL: fixture().url })
    expect(result.code).toBe(4)
    expect(JSON.parse(result.stdout)).toMatchObject({ active: false, storage: 'env' })
    expect(result.stderr).toBe(
      'Error: Kick says the token in KICK_ACCESS_TOKEN is not active: set a valid one\n',
    )
  })
})

describe('redirects are errors, never followed', () => {
  const { fixture, kick } = useFixtureKick()
  let elsewhere: FixtureServer
  beforeAll(async () => (elsewhere = await FixtureServer.start()))
  afterAll(() => elsewhere.close())

  const redirect = (status: number, path: string) => ({
    status,
    headers: { location: `${elsewhere.url}${path}` },
  })

  it('channels update on a 307: exit 1, nothing printed as done, the token never sent on', async () => {
    fixture().stub('PATCH', '/public/v1/channels', redirect(307, '/public/v1/channels'))
    const result = await kick(['channels', 'update', '--title', 'x'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `Error: Kick answered 307 Temporary Redirect to ${elsewhere.url}/public/v1/channels (redirect not followed)\n`,
    )
    expect(elsewhere.requests).toEqual([])
  })

  it('users get on a 302 with no body: exit 1, no crash', async () => {
    fixture().stub('GET', '/public/v1/users', redirect(302, '/login'))
    const result = await kick(['users', 'get'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Error: Kick answered 302 Found to ${elsewhere.url}/login (redirect not followed)\n`,
    )
    expect(elsewhere.requests).toEqual([])
  })

  it('kick api on a 308: exit 1 the same way', async () => {
    fixture().stub('GET', '/public/v1/users', redirect(308, '/x'))
    const result = await kick(['api', 'users'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Error: Kick answered 308 Permanent Redirect to ${elsewhere.url}/x (redirect not followed)\n`,
    )
    expect(elsewhere.requests).toEqual([])
  })

  it('the OAuth server on a 302: exit 1, the token not sent on', async () => {
    fixture().stub('POST', '/oauth/token/introspect', redirect(302, '/oauth/token/introspect'))
    const result = await kick(['auth', 'status'], { KICK_AUTH_URL: fixture().url })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Error: Kick answered 302 Found to ${elsewhere.url}/oauth/token/introspect (redirect not followed)\n`,
    )
    expect(elsewhere.requests).toEqual([])
  })

  it('a refresh answered with a 307: exit 1 (no login fixes a redirect), the refresh token not sent on', async () => {
    const home = isolatedHome()
    const credentials = join(home.XDG_CONFIG_HOME, 'kick', 'credentials')
    mkdirSync(credentials, { recursive: true, mode: 0o700 })
    const pair = {
      access_token: 'old',
      refresh_token: 'refresh-me',
      expires_at: Date.now() - 1000,
      scopes: [],
    }
    writeFileSync(join(credentials, 'default.tokens'), JSON.stringify(pair), { mode: 0o600 })
    fixture().stub('POST', '/oauth/token', redirect(307, '/oauth/token'))
    const result = await kick(['auth', 'refresh'], {
      ...home,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kick-test-bus',
      KICK_ACCESS_TOKEN: undefined,
      KICK_AUTH_URL: fixture().url,
      KICK_CLIENT_ID: 'client',
      KICK_CLIENT_SECRET: 'secret',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Error: Kick answered 307 Temporary Redirect to ${elsewhere.url}/oauth/token (redirect not followed)\n`,
    )
    expect(elsewhere.requests).toEqual([])
  })
})

describe('answers are bounded: a gzip bomb is refused in constant memory', () => {
  const { fixture } = useFixtureKick()
  let bomb: Buffer
  beforeAll(() => {
    // One gzip member of 64 MiB of zeros, 32 times over: a valid gzip stream of ~2 MB that inflates to 2 GiB.
    const member = gzipSync(Buffer.alloc(64 * MiB), { level: 9 })
    bomb = Buffer.concat(Array.from({ length: 32 }, () => member))
    expect(bomb.length).toBeLessThan(4 * MiB)
  })
  const bombAnswer = () => ({
    body: bomb,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  })

  /** Runs kick under /usr/bin/time: the exit, stderr, and the peak resident memory in MB. */
  function kickMeasured(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kb=%M', process.execPath, BIN, ...args], {
        cwd: ROOT,
        env: baseEnv({ KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: fixture().url }),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('error', reject)
      child.on('close', (code) => {
        const peak = /peak-rss-kb=(\d+)/.exec(stderr)
        if (!peak) return reject(new Error(`no peak RSS in ${stderr}`))
        resolve({
          code,
          stdout,
          stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?peak-rss-kb=\d+\n$/, ''),
          peakMb: Number(peak[1]) / 1024,
        })
      })
    })
  }

  it.each([
    ['users', 'get'],
    ['api', 'users'],
  ])('kick %s %s: exit 1, one line, peak RSS under 200 MB', async (...args) => {
    fixture().stub('GET', '/public/v1/users', bombAnswer())
    const result = await kickMeasured(args)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`Error: ${fixture().url} sent an answer larger than 32 MiB: refused\n`)
    console.log(
      `peak RSS of kick ${args.join(' ')} against a 2 GiB gzip bomb: ${result.peakMb.toFixed(0)} MB`,
    )
    expect(result.peakMb).toBeLessThan(200)
  })

  it('an answer that is simply huge (no compression) is refused the same way', async () => {
    fixture().stub('GET', '/public/v1/users', { body: Buffer.alloc(40 * MiB, 0x20) })
    const result = await kickMeasured(['users', 'get'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`Error: ${fixture().url} sent an answer larger than 32 MiB: refused\n`)
    expect(result.peakMb).toBeLessThan(200)
  })

  it('the public-key fetch at kick listen start: refused, the documented key used, peak RSS under 200 MB', async () => {
    fixture().stub('GET', '/public/v1/public-key', bombAnswer())
    const child = spawn(process.execPath, [BIN, 'listen', '--port', '0'], {
      cwd: ROOT,
      env: baseEnv({ KICK_API_URL: fixture().url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    try {
      for (let waited = 0; !/public key/.test(stderr) && waited < 30_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100))
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024
      expect(stderr).toContain(
        `could not fetch the webhook public key from ${fixture().url}/public/v1/public-key (the answer is larger than 32 MiB)`,
      )
      expect(peakMb).toBeLessThan(200)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe('waiting, and saying so in a terminal only', () => {
  const { fixture, kick } = useFixtureKick()
  const limited = { status: 429, json: { data: null, message: 'Too Many Requests' } }
  const env = () => ({ KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: fixture().url })

  it('429 without Retry-After: backs off and retries; a line per wait in a terminal', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', limited, limited, ok({ total_count: 3 }))
    const result = await runKick(['livestreams', 'stats'], {
      env: { ...env(), KICK_RATE_LIMIT_BASE_MS: '100' },
      terminal: true,
    })
    expect(result.code).toBe(0)
    const transcript = lines(result.stdout)
    expect(transcript).toContain('rate limited by Kick: retrying in 0.1 s (1/5)')
    expect(transcript).toContain('rate limited by Kick: retrying in 0.2 s (2/5)')
    expect(fixture().requests).toHaveLength(3)
  })

  it('429 without Retry-After, piped: the same retries, nothing on stderr', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', limited, limited, ok({ total_count: 3 }))
    const result = await kick(['livestreams', 'stats'], { KICK_RATE_LIMIT_BASE_MS: '10' })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({ total_count: 3 })
  })

  it('429 throughout: five waits, then a clear error', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', ...Array(6).fill(limited))
    const result = await runKick(['livestreams', 'stats'], {
      env: { ...env(), KICK_RATE_LIMIT_BASE_MS: '10' },
      terminal: true,
    })
    expect(result.code).toBe(1)
    const transcript = lines(result.stdout)
    expect(transcript.filter((line) => line.startsWith('rate limited by Kick'))).toHaveLength(5)
    expect(transcript).toContain('rate limited by Kick: retrying in 0.2 s (5/5)')
    expect(transcript.at(-1)).toBe(
      'Error: Kick is rate limiting this app (429 Too Many Requests) and still was after every retry: wait a minute and try again',
    )
  })

  it('a slow server: a line in a terminal, nothing when piped', async () => {
    const slow = { ...ok({ total_count: 1 }), delayMs: 1_500 }
    fixture().stub('GET', '/public/v1/livestreams/stats', slow, slow)
    const host = new URL(fixture().url).host
    const terminal = await runKick(['livestreams', 'stats'], { env: env(), terminal: true })
    expect(terminal.code).toBe(0)
    expect(lines(terminal.stdout)).toContain(`waiting for ${host} to answer…`)
    const piped = await kick(['livestreams', 'stats'])
    expect(piped).toMatchObject({ code: 0, stderr: '' })
  })
})
