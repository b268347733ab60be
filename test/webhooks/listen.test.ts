import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS, EVENT_TYPES, samplePayload } from '../../src/kick/events.js'
import { FixtureServer, ok } from '../helpers/fixture-server.js'
import { runKick } from '../helpers/run-kick.js'
import {
  type Answer,
  delivery,
  freshKey,
  pool,
  post,
  type Running,
  send,
  startKick,
  stopKick,
  until,
} from './helpers.js'

const key = freshKey()
let running: Running | undefined
afterEach(async () => {
  await stopKick(running)
  running = undefined
})

/** `kick listen` verifying with the test key, JSON lines (stdout is a pipe). */
const listen = async (args: string[] = [], env: Record<string, string> = {}): Promise<Running> => {
  running = await startKick(['listen', '--public-key-file', key.pemFile, ...args], env)
  return running
}

describe('kick listen', () => {
  it('prints every event of 32 concurrent senders exactly once, and repeats only answer 200', async () => {
    const kick = await listen()
    const deliveries = Array.from({ length: 500 }, (_, i) =>
      delivery(key.privateKey, {
        type: EVENT_TYPES[i % EVENT_TYPES.length],
        body: JSON.stringify(samplePayload(EVENT_TYPES[i % EVENT_TYPES.length]!)),
      }),
    )
    // every tenth delivery is sent twice, as Kick's at-least-once delivery may
    const sends = [...deliveries, ...deliveries.filter((_, i) => i % 10 === 0)]
    const answers = await pool(
      sends.map((d) => () => send(kick.url, d)),
      32,
    )
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    await until(() => kick.events().length >= 500, '500 events on stdout')
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)

    const printed = kick.events()
    expect(printed).toHaveLength(500)
    expect(new Set(printed.map((event) => event.id))).toEqual(new Set(deliveries.map((d) => d.id)))
    const first = printed.find((event) => event.id === deliveries[0]!.id)!
    expect(first).toEqual({
      id: deliveries[0]!.id,
      subscription_id: deliveries[0]!.headers[EVENT_HEADERS.subscriptionId],
      type: 'chat.message.sent',
      version: 1,
      timestamp: deliveries[0]!.headers[EVENT_HEADERS.timestamp],
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      payload: samplePayload('chat.message.sent'),
    })
    // each duplicate is a line, or counted in one: past 10 a second they are folded
    const shown = kick.stderr().match(/^duplicate /gm)?.length ?? 0
    const folded = [...kick.stderr().matchAll(/^([\d,]+) more duplicates within a second/gm)]
    expect(shown + folded.reduce((sum, match) => sum + Number(match[1]!.replace(/,/g, '')), 0)).toBe(50)
  })

  it('answers 401/400/413/404/405 to what is not a fresh delivery, on stderr only', async () => {
    const kick = await listen(['--max-age', '5m'])
    const good = delivery(key.privateKey)
    const forged = delivery(freshKey().privateKey)
    const stale = delivery(key.privateKey, {
      timestamp: new Date(Date.now() - 6 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    })
    const missing = delivery(key.privateKey)
    delete missing.headers[EVENT_HEADERS.signature]
    const huge = delivery(key.privateKey, { body: JSON.stringify({ content: 'x'.repeat(2 * 1024 * 1024) }) })

    expect(await send(kick.url, forged)).toEqual({
      status: 401,
      body: '{"error":"signature does not match"}',
    })
    expect((await send(kick.url, stale)).status).toBe(401)
    expect(await send(kick.url, missing)).toEqual({
      status: 400,
      body: '{"error":"missing header Kick-Event-Signature"}',
    })
    expect((await send(kick.url, huge)).status).toBe(413)
    expect((await post(`${kick.url}other`, good.headers, good.body)).status).toBe(404)
    expect((await send(kick.url, good)).status).toBe(200)
    kick.child.kill('SIGTERM')
    expect((await kick.exited).code).toBe(0)

    expect(kick.events().map((event) => event.id)).toEqual([good.id])
    const rejected = kick
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('rejected'))
    expect(rejected).toEqual([
      `rejected 401 POST / from 127.0.0.1 (${forged.id}): signature does not match`,
      `rejected 401 POST / from 127.0.0.1 (${stale.id}): timestamp ${stale.headers[EVENT_HEADERS.timestamp]} is older than 5m (replay)`,
      `rejected 400 POST / from 127.0.0.1 (${missing.id}): missing header Kick-Event-Signature`,
      'rejected 413 POST / from 127.0.0.1: body over 1048576 bytes',
      'rejected 404 POST /other from 127.0.0.1: not the webhook path (/)',
    ])
  })

  it("verifies with the key in Kick's docs when the key endpoint cannot be reached (and says so)", async () => {
    running = await startKick(['listen'], { KICK_API_URL: 'http://127.0.0.1:9' })
    const d = delivery(key.privateKey)
    expect((await send(running.url, d)).status).toBe(401)
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.stderr()).toContain(
      "Warning: could not fetch the webhook public key from http://127.0.0.1:9/public/v1/public-key (ECONNREFUSED); verifying with the public key from Kick's docs",
    )
    expect(running.stderr()).toContain("Verifying signatures with Kick's public key (from Kick's docs)")
    // a Kick on this machine needs no tunnel: the banner says how to point it here instead
    expect(running.stderr()).toContain(
      `A local Kick (http://127.0.0.1:9) can deliver here: start it with --webhook-url ${running.url}`,
    )
    expect(running.stdout()).toBe('')
  })

  it('--count N exits 0 after N events; --events prints only the types asked for', async () => {
    const kick = await listen(['--count', '2', '--events', 'kicks.gifted,channel.followed'])
    const chat = delivery(key.privateKey, { type: 'chat.message.sent' })
    const gift = delivery(key.privateKey, { type: 'kicks.gifted' })
    const follow = delivery(key.privateKey, { type: 'channel.followed' })
    expect(await send(kick.url, chat)).toEqual({ status: 200, body: JSON.stringify({ ignored: chat.id }) })
    // printed: an empty 200; not printed: a JSON body saying why
    expect(await send(kick.url, gift)).toEqual({ status: 200, body: '' })
    expect(await send(kick.url, follow)).toEqual({ status: 200, body: '' })
    expect((await kick.exited).code).toBe(0)
    expect(kick.events().map((event) => [event.type, event.id])).toEqual([
      ['kicks.gifted', gift.id],
      ['channel.followed', follow.id],
    ])
    expect(kick.stderr()).toContain('stopping: 2 events received')
  })

  it('--save writes deliveries that `webhook verify --file` accepts, and a tampered one it rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-save-'))
    const kick = await listen(['--save', dir, '--count', '1'])
    const payload = { ...samplePayload('chat.message.sent'), content: 'héllo 👋' }
    const d = delivery(key.privateKey, { body: JSON.stringify(payload) })
    expect((await send(kick.url, d)).status).toBe(200)
    expect((await kick.exited).code).toBe(0)

    expect(readdirSync(dir)).toEqual([`${d.id}.json`])
    const file = join(dir, `${d.id}.json`)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { headers: Record<string, string>; body: string }
    expect(saved.body).toBe(d.body)
    expect(saved.headers[EVENT_HEADERS.signature]).toBe(d.headers[EVENT_HEADERS.signature])

    const valid = await runKick(['webhook', 'verify', '--file', file, '--public-key-file', key.pemFile])
    expect(valid.code).toBe(0)
    expect(JSON.parse(valid.stdout)).toEqual({
      valid: true,
      id: d.id,
      subscription_id: d.headers[EVENT_HEADERS.subscriptionId],
      type: 'chat.message.sent',
      version: 1,
      timestamp: d.headers[EVENT_HEADERS.timestamp],
      key: 'kick',
    })
    const fromStdin = await runKick(['webhook', 'verify', '--file', '-', '--public-key-file', key.pemFile], {
      input: readFileSync(file, 'utf8'),
    })
    expect(fromStdin.code).toBe(0)

    const tampered = join(dir, 'tampered.json')
    writeFileSync(tampered, JSON.stringify({ ...saved, body: saved.body.replace('héllo', 'hello') }))
    const invalid = await runKick(['webhook', 'verify', '--file', tampered, '--public-key-file', key.pemFile])
    expect(invalid).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error: invalid delivery: signature does not match\n',
    })

    const stale = join(dir, 'stale.json')
    const staleDelivery = delivery(key.privateKey, { timestamp: '2025-04-01T07:56:19Z' })
    writeFileSync(stale, JSON.stringify({ headers: staleDelivery.headers, body: staleDelivery.body }))
    const staleResult = await runKick([
      'webhook',
      'verify',
      '--file',
      stale,
      '--public-key-file',
      key.pemFile,
      '--max-age',
      '10m',
    ])
    expect(staleResult.code).toBe(1)
    expect(staleResult.stderr).toBe(
      'Error: invalid delivery: timestamp 2025-04-01T07:56:19Z is older than 10m (replay)\n',
    )
    expect(
      (await runKick(['webhook', 'verify', '--file', stale, '--public-key-file', key.pemFile])).code,
    ).toBe(0)

    writeFileSync(
      tampered,
      JSON.stringify({ headers: saved.headers, body: JSON.parse(saved.body) as unknown }),
    )
    const objectBody = await runKick([
      'webhook',
      'verify',
      '--file',
      tampered,
      '--public-key-file',
      key.pemFile,
    ])
    expect(objectBody.code).toBe(2)
    expect(objectBody.stderr).toBe(
      `Error: ${tampered}: "body" must be the raw body as a string, exactly as received\n`,
    )
  })

  describe('--forward-to', () => {
    let app: Server | undefined
    afterEach(async () => {
      app?.closeAllConnections()
      await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)))
      app = undefined
    })

    it('forwards headers and exact body to a slow app after answering, still printing everything', async () => {
      const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = []
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      app = createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (chunk: Buffer) => chunks.push(chunk))
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
          // the app answers only after the listener has printed and answered every event
          void released.then(() => res.writeHead(202).end('ok'))
        })
      })
      await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve))
      const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hook`

      const kick = await listen(['--forward-to', appUrl])
      const deliveries = Array.from({ length: 5 }, () =>
        delivery(key.privateKey, {
          body: JSON.stringify({ ...samplePayload('chat.message.sent'), content: 'ünïcode ✓' }),
        }),
      )
      const answers: Answer[] = []
      for (const d of deliveries) answers.push(await send(kick.url, d))
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
      // each line was in the pipe before its 200; this process reads the pipe in its own time
      await until(() => kick.events().length === 5, 'five events')
      expect(kick.events().map((event) => event.id)).toEqual(deliveries.map((d) => d.id))
      release()
      await until(
        () => (kick.stderr().match(/^forward .* 202 Accepted$/gm) ?? []).length === 5,
        'five forward reports',
      )
      kick.child.kill('SIGINT')
      expect((await kick.exited).code).toBe(0)

      const sentFirst = received.find((r) => r.headers['kick-event-message-id'] === deliveries[0]!.id)!
      expect(sentFirst.body).toBe(deliveries[0]!.body)
      for (const name of Object.values(EVENT_HEADERS))
        expect(sentFirst.headers[name.toLowerCase()]).toBe(deliveries[0]!.headers[name])
      expect(kick.stderr()).toContain(`forward ${deliveries[0]!.id} → ${appUrl}: 202 Accepted`)
    })

    it('reports a down app on stderr and loses no event', async () => {
      app = createServer()
      await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve))
      const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`
      await new Promise((resolve) => app!.close(resolve))
      app = undefined

      const kick = await listen(['--forward-to', appUrl, '--count', '3'])
      const deliveries = Array.from({ length: 3 }, () => delivery(key.privateKey))
      for (const d of deliveries) expect((await send(kick.url, d)).status).toBe(200)
      expect((await kick.exited).code).toBe(0)
      expect(kick.events().map((event) => event.id)).toEqual(deliveries.map((d) => d.id))
      for (const d of deliveries)
        expect(kick.stderr()).toContain(`forward ${d.id} → ${appUrl} failed: ECONNREFUSED`)
    })
  })

  it('on SIGINT mid-load exits 0 with every event it answered 200 on stdout', async () => {
    const kick = await listen()
    const deliveries = Array.from({ length: 3000 }, () => delivery(key.privateKey))
    const accepted: string[] = []
    let sent = 0
    const sender = async (): Promise<void> => {
      while (sent < deliveries.length) {
        const d = deliveries[sent++]!
        if (sent === 150) kick.child.kill('SIGINT')
        try {
          const answer = await send(kick.url, d)
          if (answer.status === 200) accepted.push(d.id)
        } catch {
          return // the listener closed: this sender is done
        }
      }
    }
    await Promise.all(Array.from({ length: 16 }, sender))
    expect((await kick.exited).code).toBe(0)
    expect(accepted.length).toBeGreaterThan(0)
    expect(accepted.length).toBeLessThan(deliveries.length)
    const printed = kick.events().map((event) => event.id)
    expect(new Set(printed)).toEqual(new Set(accepted))
    expect(printed).toHaveLength(accepted.length)
  })

  it('holds events while stdout is full and prints them all once it drains', async () => {
    const kick = await listen()
    kick.child.stdout.pause()
    const big = JSON.stringify({ ...samplePayload('chat.message.sent'), content: 'x'.repeat(20_000) })
    const deliveries = Array.from({ length: 60 }, () => delivery(key.privateKey, { body: big }))
    const answers = pool(
      deliveries.map((d) => () => send(kick.url, d)),
      8,
    )
    // 60 x 20 kB is far more than a pipe holds: the listener must wait for the reader, not drop lines
    await new Promise((resolve) => setTimeout(resolve, 500))
    kick.child.stdout.resume()
    expect((await answers).every((answer) => answer.status === 200)).toBe(true)
    await until(() => kick.events().length === 60, '60 events')
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    expect(
      kick
        .events()
        .map((event) => event.id)
        .sort(),
    ).toEqual(deliveries.map((d) => d.id).sort())
  })

  it('--subscribe subscribes at start and unsubscribes exactly what it created at exit', async () => {
    const kick = await FixtureServer.start()
    try {
      kick.stub(
        'POST',
        '/public/v1/events/subscriptions',
        ok([
          { name: 'chat.message.sent', version: 1, subscription_id: '01JSUBCHAT0000000000000000', error: '' },
          { name: 'kicks.gifted', version: 1, subscription_id: '', error: 'limit reached' },
        ]),
      )
      // the listing right after holds it: Kick kept it
      kick.stub(
        'GET',
        '/public/v1/events/subscriptions',
        ok([
          {
            app_id: '01JMEFN25GFC',
            broadcaster_user_id: 721956,
            created_at: '2025-02-20T23:33:10Z',
            event: 'chat.message.sent',
            id: '01JSUBCHAT0000000000000000',
            method: 'webhook',
            updated_at: '2025-02-20T23:33:10Z',
            version: 1,
          },
        ]),
      )
      kick.stub('DELETE', '/public/v1/events/subscriptions', { status: 204 })
      const listener = await listen(
        ['--subscribe', 'chat.message.sent,kicks.gifted', '--broadcaster-id', '721956'],
        {
          KICK_API_URL: kick.url,
          KICK_ACCESS_TOKEN: 'test-token',
        },
      )
      await until(() => kick.requests.length >= 1, 'the subscribe request')
      expect(kick.requests[0]!.json).toEqual({
        method: 'webhook',
        events: [
          { name: 'chat.message.sent', version: 1 },
          { name: 'kicks.gifted', version: 1 },
        ],
        broadcaster_user_id: 721956,
      })
      expect(kick.requests[0]!.headers.authorization).toBe('Bearer test-token')
      await until(
        () => listener.stderr().includes('Subscribed to 1 event type of broadcaster'),
        'the subscribe note',
      )
      expect(listener.stderr()).toContain('not subscribed to kicks.gifted: limit reached')

      await until(() => kick.requests.length >= 2, 'the listing')
      listener.child.kill('SIGTERM')
      expect((await listener.exited).code).toBe(0)
      expect(kick.requests[1]!.method).toBe('GET')
      expect(kick.requests[2]!.method).toBe('DELETE')
      expect(kick.requests[2]!.query.getAll('id')).toEqual(['01JSUBCHAT0000000000000000'])
      expect(listener.stderr()).toContain('Unsubscribed 1 subscription\n')
      kick.verify()
    } finally {
      await kick.close()
    }
  })

  it('rejects bad flags with exit 2 before listening', async () => {
    const cases: [string[], string][] = [
      [['--max-age', 'soon'], 'Error: --max-age soon: expected a duration such as 30s, 10m or 1h'],
      [['--events', 'chat.sent'], 'Error: --events: unknown event chat.sent: choose from '],
      [['--path', 'hook'], 'Error: --path hook: must start with /'],
      [['--no-verify'], 'Error: --no-verify is for --subscribe'],
      [['--forward-to', 'localhost:3000'], 'Error: --forward-to localhost:3000: expected an http(s) URL'],
      [['--tunnel', 'ngrok'], 'Error: --tunnel ngrok needs NGROK_AUTHTOKEN'],
      [
        ['--demo', '--subscribe', 'chat.message.sent'],
        'Error: --demo runs its own Kick: leave out --subscribe',
      ],
      [
        ['--public-url', 'https://x.example', '--tunnel', 'localtunnel'],
        'Error: --public-url is for a tunnel you run yourself',
      ],
    ]
    for (const [args, message] of cases) {
      const result = await runKick(['listen', ...args], { env: { NGROK_AUTHTOKEN: undefined } })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr.startsWith(message), result.stderr).toBe(true)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})
