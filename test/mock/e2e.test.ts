import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { isolatedHome, runKick } from '../helpers/run-kick.js'
import { freePort, MockProcess } from './mock-process.js'

const json = (stdout: string): unknown => JSON.parse(stdout)

describe('kick mock start, end to end', () => {
  let mock: MockProcess
  beforeAll(async () => (mock = await MockProcess.start()))
  afterAll(() => mock.stop())

  it('prints only the two export lines on stdout and its log on stderr', () => {
    expect(mock.stdout).toBe(`export KICK_API_URL=${mock.url}\nexport KICK_AUTH_URL=${mock.url}\n`)
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.stderr).toContain(`kick mock: a local Kick on ${mock.url}`)
  })

  it('serves the CLI: login in the browser, then the API commands', async () => {
    const home = isolatedHome()
    const dir = mkdtempSync(join(tmpdir(), 'kick-mock-browser-'))
    const browser = join(dir, 'browser.mjs')
    // plays the user's browser: Kick's authorize page approves and redirects to the CLI's callback
    writeFileSync(browser, 'await fetch(process.argv[2])\n')
    const env = {
      ...home,
      KICK_API_URL: mock.url,
      KICK_AUTH_URL: mock.url,
      KICK_CLIENT_ID: 'my-app',
      KICK_CLIENT_SECRET: 'my-secret',
      KICK_REDIRECT_URI: `http://localhost:${await freePort()}/callback`,
      BROWSER: `${process.execPath} ${browser}`,
    }
    const kick = (...args: string[]) => runKick(args, { env })

    const login = await kick('login', '--all-scopes')
    expect(login.stderr).not.toContain('Error')
    expect(login.code).toBe(0)

    const users = await kick('users', 'get')
    expect(users.code).toBe(0)
    expect(json(users.stdout)).toEqual([
      expect.objectContaining({ user_id: 100001, name: 'mockstreamer', email: 'mockstreamer@example.com' }),
    ])

    const channels = await kick('channels', 'get', '--slug', 'streamer01', '--slug', 'streamer02')
    expect((json(channels.stdout) as { slug: string }[]).map((c) => c.slug)).toEqual([
      'streamer01',
      'streamer02',
    ])

    const missing = await kick('channels', 'get', '--slug', 'streamer01', '--slug', 'nobody-here')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('nobody-here')

    const chat = await kick('chat', 'send', 'hello from the CLI', '--broadcaster-id', '200001')
    expect(chat.code).toBe(0)
    const { message_id } = json(chat.stdout) as { message_id: string }
    expect(message_id).toMatch(/^[0-9a-f-]{36}$/)

    const rewards = await kick('rewards', 'list')
    expect((json(rewards.stdout) as { title: string }[]).map((r) => r.title)).toEqual([
      'Song Request',
      'Hydrate!',
      'Unban Request',
      'VIP for a day',
    ])

    const categories = await kick('categories', 'list', '--paginate', '--limit', '20')
    expect(categories.code).toBe(0)
    const names = (json(categories.stdout) as { name: string }[]).map((c) => c.name)
    expect(names).toHaveLength(55)
    expect(new Set(names).size).toBe(55)

    const streams = await kick('livestreams', 'list', '--paginate', '--limit', '10')
    expect(json(streams.stdout)).toHaveLength(31)

    const ban = await kick('moderation', 'ban', '100004', '--broadcaster-id', '100001', '--reason', 'spam')
    expect(ban.code).toBe(0)

    const board = await kick('kicks', 'leaderboard', '--top', '1')
    expect(json(board.stdout)).toMatchObject({ lifetime: [{ username: 'generous_gifter' }] })

    const key = await kick('public-key', '--pem')
    expect(key.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/)
  })

  it('refuses a token without the scope: exit 4 naming the scope the KICK_ACCESS_TOKEN token lacks', async () => {
    const token = await mock.token({ kind: 'user', scopes: ['user:read'] })
    const result = await runKick(['chat', 'send', 'hi', '--broadcaster-id', '200001'], {
      env: { KICK_API_URL: mock.url, KICK_AUTH_URL: mock.url, KICK_ACCESS_TOKEN: token },
    })
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('missing scope chat:write')
    // KICK_ACCESS_TOKEN is in use: kick login would not help, so it is not advised
    expect(lines[0]).toContain('the token in KICK_ACCESS_TOKEN lacks the chat:write scope')
    expect(lines[0]).not.toContain('kick login')
    expect(result.stderr).not.toContain(token)
  })

  it('refuses a revoked token: exit 4', async () => {
    const token = await mock.token()
    await fetch(`${mock.url}/oauth/revoke?token=${encodeURIComponent(token)}`, { method: 'POST' })
    const result = await runKick(['users', 'get'], {
      env: { KICK_API_URL: mock.url, KICK_ACCESS_TOKEN: token },
    })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('401')
  })
})

describe('kick mock start options', () => {
  it('--rate-limit: the CLI backs off on 429 + Retry-After and finishes the listing', async () => {
    const mock = await MockProcess.start(['--rate-limit', '2', '--rate-limit-window', '3'])
    try {
      const token = await mock.token({ kind: 'app' })
      const result = await runKick(['categories', 'list', '--paginate', '--limit', '25'], {
        env: { KICK_API_URL: mock.url, KICK_ACCESS_TOKEN: token },
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(json(result.stdout)).toHaveLength(55)
      // three pages against a budget of two: the third was refused once, then retried
      // (the log line of the last answer may still be on its way through the pipe)
      await expect.poll(() => mock.stderr.match(/GET \/public\/v2\/categories → 200/g)?.length).toBe(3)
      expect(mock.stderr).toMatch(/GET \/public\/v2\/categories → 429/)
    } finally {
      await mock.stop()
    }
  })

  it('--user-token: the printed exports alone let every command run, as in CI', async () => {
    const mock = await MockProcess.start(['--user-token'])
    try {
      const lines = mock.stdout.trimEnd().split('\n')
      expect(lines.slice(0, 2)).toEqual([
        `export KICK_API_URL=${mock.url}`,
        `export KICK_AUTH_URL=${mock.url}`,
      ])
      expect(lines).toHaveLength(3)
      const env = Object.fromEntries(lines.map((line) => /^export (\w+)=(.+)$/.exec(line)!.slice(1, 3)))
      const me = await runKick(['users', 'get'], { env })
      expect(me.stderr).toBe('')
      expect(me.code).toBe(0)
      const [user] = json(me.stdout) as { user_id: number }[]
      const sent = await runKick(['chat', 'send', 'from CI'], { env })
      expect(sent.code).toBe(0)
      expect(json(sent.stdout)).toMatchObject({ is_sent: true })
      const banned = await runKick(
        ['moderation', 'ban', '100004', '--broadcaster-id', String(user!.user_id)],
        { env },
      )
      expect(banned.stderr).toBe('')
      expect(banned.code).toBe(0)
    } finally {
      await mock.stop()
    }
  })

  it('--seed: the file’s first user is who logs in; a bad file is exit 2 in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-seed-'))
    const seed = join(dir, 'seed.json')
    writeFileSync(
      seed,
      JSON.stringify({
        users: [{ user_id: 42, name: 'ci_bot' }],
        channels: [
          { broadcaster_user_id: 42, slug: 'ci-bot', is_live: true, stream_title: 'CI', category_id: 15 },
        ],
      }),
    )
    const mock = await MockProcess.start(['--seed', seed])
    try {
      const token = await mock.token()
      const env = { KICK_API_URL: mock.url, KICK_ACCESS_TOKEN: token }
      const users = await runKick(['users', 'get'], { env })
      expect(json(users.stdout)).toEqual([expect.objectContaining({ user_id: 42, name: 'ci_bot' })])
      const channel = await runKick(['channels', 'get', '--slug', 'ci-bot'], { env })
      expect(json(channel.stdout)).toEqual([
        expect.objectContaining({ stream_title: 'CI', broadcaster_user_id: 42 }),
      ])
    } finally {
      await mock.stop()
    }

    writeFileSync(seed, JSON.stringify({ users: [{ user_id: 'x', name: 'bad' }] }))
    const bad = await runKick(['mock', 'start', '--port', '0', '--seed', seed])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toBe(`Error: ${seed}: seed: users[0].user_id must be a positive integer\n`)
  })

  it('stops cleanly with exit 0 on SIGTERM as on SIGINT', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const mock = await MockProcess.start()
      const { code } = await mock.stop(signal)
      expect(code).toBe(0)
      expect(mock.stderr).toContain(`kick mock: stopped (${signal})`)
    }
  })

  it('delivers chat sent through the CLI to kick listen, which verifies it with the mock’s key', async () => {
    const port = await freePort()
    const mock = await MockProcess.start(['--webhook-url', `http://127.0.0.1:${port}/`])
    try {
      const token = await mock.token()
      const env = { KICK_API_URL: mock.url, KICK_AUTH_URL: mock.url, KICK_ACCESS_TOKEN: token }
      const listen = runKick(['listen', '--port', String(port), '--count', '1', '--json'], {
        env,
        timeoutMs: 25_000,
      })
      const subscribed = await runKick(['events', 'subscribe', 'chat.message.sent'], { env })
      expect(subscribed.code).toBe(0)
      const sent = await runKick(['chat', 'send', 'loop test', '--type', 'bot'], { env })
      expect(sent.code).toBe(0)
      const { message_id } = json(sent.stdout) as { message_id: string }
      // delivery retries with backoff cover a listener that was not up yet
      const heard = await listen
      expect(heard.code).toBe(0)
      const event = json(heard.stdout.trim()) as {
        type: string
        payload: { message_id: string; content: string }
      }
      expect(event.type).toBe('chat.message.sent')
      expect(event.payload).toMatchObject({ message_id, content: 'loop test' })
    } finally {
      await mock.stop()
    }
  })
})
