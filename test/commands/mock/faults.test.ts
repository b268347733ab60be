import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { BIN, baseEnv, isolatedHome, ROOT, runKick } from '../../helpers/run-kick.js'
import { freePort, MockProcess } from '../../mock/mock-process.js'

/**
 * `kick mock start --fault …` against the real CLI: each of Kick's misbehaviours, and what the CLI makes of it
 * (a retry, a clear one-line error, the workaround, a duplicate printed once). The client's wording and its
 * 429 backoff are being reworked elsewhere: these check the exit code and the essential words only.
 */

const lines = (text: string): string[] => text.trim().split('\n').filter(Boolean)

/** A mock with these faults, a token for it, and the CLI pointed at it. */
async function withFaults(
  faults: string[],
  test: (mock: MockProcess, kick: (...args: string[]) => ReturnType<typeof runKick>) => Promise<void>,
  extraArgs: string[] = [],
): Promise<void> {
  const mock = await MockProcess.start([...faults.flatMap((fault) => ['--fault', fault]), ...extraArgs])
  try {
    // the token comes from /mock/tokens, which no fault touches
    const env = { KICK_API_URL: mock.url, KICK_AUTH_URL: mock.url, KICK_ACCESS_TOKEN: await mock.token() }
    await test(mock, (...args) => runKick(args, { env }))
  } finally {
    await mock.stop()
  }
}

/** The mock's log lines for one route's answers, e.g. `GET /public/v1/users → 500`. */
const answers = (mock: MockProcess, route: string): string[] =>
  [...mock.stderr.matchAll(new RegExp(`${route} → (\\d+)`, 'g'))].map((match) => match[1]!)

describe('kick mock start --fault, through the CLI', () => {
  it('lists the faults it runs with on its banner; an unknown or malformed one is exit 2', async () => {
    await withFaults(['waf=0.2', 'slow=10', 'server-error=3'], async (mock) => {
      expect(mock.stderr).toContain('faults: waf=0.2, slow=10, server-error=3')
    })
    for (const bad of ['nope', 'waf=2.5', 'slow=soon']) {
      const result = await runKick(['mock', 'start', '--port', '0', '--fault', bad])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain(`--fault ${bad}`)
    }
  })

  it('waf: a clear error naming the firewall block, exit 1', async () => {
    await withFaults(['waf'], async (_mock, kick) => {
      const result = await kick('users', 'get')
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain('403')
      expect(result.stderr).toContain('Request blocked by security policy')
    })
  })

  it('challenge: one line about the HTML page, never the page itself', async () => {
    await withFaults(['challenge'], async (_mock, kick) => {
      const result = await kick('channels', 'get', '--slug', 'mockstreamer')
      expect(result.code).toBe(1)
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain('403')
      expect(result.stderr).not.toMatch(/<|Just a moment/)
    })
  })

  it('server-error: a GET is retried and succeeds; a lasting 500 is a clear error after the retries', async () => {
    await withFaults(['server-error=1'], async (mock, kick) => {
      const result = await kick('users', 'get')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ user_id: 100001 })])
      await expect.poll(() => answers(mock, 'GET /public/v1/users')).toEqual(['500', '200'])
    })
    await withFaults(['server-error'], async (mock, kick) => {
      const result = await kick('users', 'get')
      expect(result.code).toBe(1)
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain('500')
      // Kick's message only repeats the status text, so the line says it once
      expect(result.stderr).toContain('500 Internal Server Error')
      await expect.poll(() => answers(mock, 'GET /public/v1/users').length).toBeGreaterThan(1)
    })
  })

  it('rate-limit-no-retry-after: the CLI backs off on its own and tries again', async () => {
    await withFaults(['rate-limit-no-retry-after=1'], async (mock, kick) => {
      const result = await kick('livestreams', 'stats')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({ total_count: 31 })
      await expect.poll(() => answers(mock, 'GET /public/v1/livestreams/stats')).toEqual(['429', '200'])
    })
  })

  it('rate-limit-retry-after=SECONDS: --rate-limit 429s carry the header, and the CLI waits as told', async () => {
    await withFaults(
      ['rate-limit-retry-after=1'],
      async (mock, kick) => {
        expect(mock.stderr).toContain('faults: rate-limit-retry-after=1')
        expect((await kick('livestreams', 'stats')).code).toBe(0)
        // the minute's budget of one is spent: every retry is told to wait 1 s, and still meets a 429
        const limited = await kick('livestreams', 'stats')
        expect(limited.code).toBe(1)
        expect(lines(limited.stderr)).toHaveLength(1)
        expect(limited.stderr).toContain('rate limiting')
        await expect
          .poll(() => answers(mock, 'GET /public/v1/livestreams/stats'))
          .toEqual(['200', '429', '429', '429', '429', '429', '429'])
        const answer = await fetch(`${mock.url}/public/v1/livestreams/stats`)
        expect(answer.status).toBe(429)
        expect(answer.headers.get('retry-after')).toBe('1')
      },
      ['--rate-limit', '1'],
    )
  })

  it('slow: the answer comes late and the command still succeeds', async () => {
    await withFaults(['slow=400'], async (mock, kick) => {
      const result = await kick('users', 'get')
      expect(result.code).toBe(0)
      // a lower bound the mock itself enforces (it waits before answering), not a timing of the machine
      await expect.poll(() => /GET \/public\/v1\/users → 200 \((\d+) ms\)/.exec(mock.stderr)).not.toBeNull()
      const ms = Number(/GET \/public\/v1\/users → 200 \((\d+) ms\)/.exec(mock.stderr)![1])
      expect(ms).toBeGreaterThanOrEqual(400)
    })
  })

  it('bot-chat-500: a bot message fails clearly and is not sent twice; a user message still goes', async () => {
    await withFaults(['bot-chat-500'], async (mock, kick) => {
      const bot = await kick('chat', 'send', 'beep', '--type', 'bot')
      expect(bot.code).toBe(1)
      expect(lines(bot.stderr)).toHaveLength(1)
      expect(bot.stderr).toContain('500')
      const user = await kick('chat', 'send', 'hello', '--broadcaster-id', '100001')
      expect(user.code).toBe(0)
      // a POST may have been processed: the client does not retry it
      await expect.poll(() => answers(mock, 'POST /public/v1/chat')).toEqual(['500', '200'])
      expect(mock.stderr).not.toContain('mock error')
    })
  })

  it('redirect-rewrite: kick login still works, thanks to the sacrificial redirect=127.0.0.1', async () => {
    const mock = await MockProcess.start(['--fault', 'redirect-rewrite'])
    try {
      const dir = mkdtempSync(join(tmpdir(), 'kick-rewrite-'))
      const browser = join(dir, 'browser.mjs')
      const seen = join(dir, 'location.txt')
      // the user's browser: approve on Kick's page, note where it sent us, follow to the CLI's callback
      writeFileSync(
        browser,
        `import { writeFileSync } from 'node:fs'
const answer = await fetch(process.argv[2], { redirect: 'manual' })
const location = answer.headers.get('location')
writeFileSync(${JSON.stringify(seen)}, location ?? '')
await fetch(location)
`,
      )
      const port = await freePort()
      const env = {
        ...isolatedHome(),
        KICK_API_URL: mock.url,
        KICK_AUTH_URL: mock.url,
        KICK_CLIENT_ID: 'my-app',
        KICK_CLIENT_SECRET: 'my-secret',
        KICK_REDIRECT_URI: `http://127.0.0.1:${port}/callback`,
        BROWSER: `${process.execPath} ${browser}`,
      }
      const login = await runKick(['login', '--scopes', 'user:read'], { env })
      expect(login.stderr).not.toContain('Error')
      expect(login.code).toBe(0)
      expect(readFileSync(seen, 'utf8')).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?code=`),
      )
      const me = await runKick(['users', 'get'], { env })
      expect(me.code).toBe(0)

      // and the fault is real: without the workaround the callback would have gone to localhost
      const bare = await fetch(
        `${mock.url}/oauth/authorize?client_id=my-app&response_type=code&redirect_uri=${encodeURIComponent(
          `http://127.0.0.1:${port}/callback`,
        )}&state=s&scope=user%3Aread&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
        { redirect: 'manual' },
      )
      expect(bare.headers.get('location')).toMatch(new RegExp(`^http://localhost:${port}/callback`))
    } finally {
      await mock.stop()
    }
  })

  it('webhook-retry: kick listen prints the event once and answers the resend as a duplicate', async () => {
    const home = isolatedHome()
    const port = await freePort()
    const mock = await MockProcess.start(
      ['--webhook-url', `http://127.0.0.1:${port}/`, '--fault', 'webhook-retry'],
      home,
    )
    const listen = spawn(
      process.execPath,
      [BIN, 'listen', '--port', String(port), '--json', '--accept-dev-signatures'],
      { cwd: ROOT, env: baseEnv({ ...home, KICK_API_URL: mock.url, KICK_AUTH_URL: mock.url }) },
    )
    let stdout = ''
    let stderr = ''
    listen.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    listen.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => listen.on('exit', (code) => resolve(code)))
    try {
      await expect.poll(() => stderr, { timeout: 20_000 }).toContain('Listening on')
      const fired = await runKick(['mock', 'trigger', 'channel.followed'], {
        env: { KICK_API_URL: mock.url },
      })
      expect(fired.code).toBe(0)
      await expect.poll(() => stderr, { timeout: 20_000 }).toContain('duplicate')
      await expect.poll(() => mock.stderr).toMatch(/channel\.followed \S+ attempt 2 → 200/)
      expect(mock.stderr).toContain('sending it again (--fault webhook-retry)')
    } finally {
      listen.kill('SIGINT')
      await exited
      await mock.stop()
    }
    const events = lines(stdout).map((line) => JSON.parse(line) as { type: string })
    expect(events.map((event) => event.type)).toEqual(['channel.followed'])
  })
})
