import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS, samplePayload } from '../../src/kick/events.js'
import type { ReplayResult as Result } from '../../src/webhooks/replay.js'
import { FixtureServer } from '../helpers/fixture-server.js'
import { isolatedHome, runKick } from '../helpers/run-kick.js'
import { delivery, freshKey, type Running, send, startKick, stopKick, type TestKey } from './helpers.js'

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'kick-replay-'))

/** A saved delivery written as `kick listen --save` writes one; returns its file. */
function saveFile(
  dir: string,
  d: { id: string; headers: Record<string, string>; body: string },
  receivedAt?: string,
): string {
  const file = join(dir, `${d.id}.json`)
  const saved = receivedAt === undefined ? {} : { received_at: receivedAt }
  writeFileSync(file, JSON.stringify({ ...saved, headers: d.headers, body: d.body }, null, 2))
  return file
}

let key: TestKey
let running: Running[] = []
beforeAll(() => {
  key = freshKey()
})
afterEach(async () => {
  await Promise.all(running.map((kick) => stopKick(kick)))
  running = []
})

async function listen(args: string[], env: Record<string, string> = isolatedHome()): Promise<Running> {
  const kick = await startKick(['listen', ...args], env)
  running.push(kick)
  return kick
}

describe('kick webhook replay of what kick listen --save captured', () => {
  let app: FixtureServer
  beforeAll(async () => (app = await FixtureServer.start()))
  afterAll(() => app.close())
  beforeEach(() => app.reset())

  it('sends the original headers and exact bytes, in arrival order (not name order)', async () => {
    const dir = tempDir()
    const capture = await listen(['--public-key-file', key.pemFile, '--save', dir, '--count', '3'])
    // ids whose names sort otherwise than they arrive; bodies with odd spacing and non-ASCII text
    const sent = ['id-c', 'id-a', 'id-b'].map((id, index) =>
      delivery(key.privateKey, {
        id,
        type: 'kicks.gifted',
        body: `{ "gift": {"amount": ${index}},\n  "sender": {"username": "bøb 🎁"} }`,
      }),
    )
    for (const d of sent) {
      expect((await send(capture.url, d)).status).toBe(200)
      // the next arrives on a later millisecond than this one was received at, so the order is the arrival's
      const answered = Date.now()
      while (Date.now() <= answered) await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await capture.exited).code).toBe(0)
    const savedFile = JSON.parse(readFileSync(join(dir, 'id-c.json'), 'utf8')) as { received_at: string }
    expect(Date.parse(savedFile.received_at)).toBeGreaterThan(Date.now() - 120_000)

    app.stub('POST', '/hook', { status: 200 }, { status: 202 }, { status: 204 })
    const result = await runKick(['webhook', 'replay', dir, '--to', `${app.url}/hook`])
    expect(result.code, result.stderr).toBe(0)
    expect(app.requests.map((request) => request.headers['kick-event-message-id'])).toEqual([
      'id-c',
      'id-a',
      'id-b',
    ])
    for (const [index, request] of app.requests.entries()) {
      const original = sent[index]!
      expect(request.body).toBe(original.body)
      for (const [name, value] of Object.entries(original.headers))
        expect(request.headers[name.toLowerCase()], name).toBe(value)
    }
    expect(result.stderr).toBe(
      [
        `200 kicks.gifted id-c from ${join(dir, 'id-c.json')}`,
        `202 kicks.gifted id-a from ${join(dir, 'id-a.json')}`,
        `204 kicks.gifted id-b from ${join(dir, 'id-b.json')}`,
        '',
      ].join('\n'),
    )
    const results = JSON.parse(result.stdout) as Result[]
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['id-c', 200],
      ['id-a', 202],
      ['id-b', 204],
    ])
    app.verify()
  })

  it("keeps Kick's signature valid: a listener with --public-key-file and --max-age 0 verifies the replay", async () => {
    const dir = tempDir()
    // captured an hour after Kick sent it (the capturing listener has no replay window either)
    const capture = await listen([
      '--public-key-file',
      key.pemFile,
      '--max-age',
      '0',
      '--save',
      dir,
      '--count',
      '1',
    ])
    const old = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const original = delivery(key.privateKey, { timestamp: old })
    expect((await send(capture.url, original)).status).toBe(200)
    expect((await capture.exited).code).toBe(0)
    const file = join(dir, `${original.id}.json`)

    // a listener with the default 10m window refuses the old delivery, and replay says what to do
    const windowed = await listen(['--public-key-file', key.pemFile])
    const refused = await runKick(['webhook', 'replay', file, '--to', windowed.url])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`401 chat.message.sent ${original.id} from ${file}: `)
    expect(refused.stderr).toContain('is older than 10m (replay)')
    expect(refused.stderr).toContain(
      `Error: ${windowed.url} refused 1 of 1 deliveries: a listener with a replay window refuses old deliveries (\`kick listen --max-age 0\` takes them), or replay with --resign\n`,
    )

    const target = await listen(['--public-key-file', key.pemFile, '--max-age', '0', '--count', '1'])
    const replayed = await runKick(['webhook', 'replay', file, '--to', target.url])
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.stderr).toBe(`200 chat.message.sent ${original.id} from ${file}\n`)
    expect((await target.exited).code).toBe(0)
    expect(target.events()).toEqual([
      expect.objectContaining({
        id: original.id,
        timestamp: old,
        type: 'chat.message.sent',
        payload: JSON.parse(original.body) as unknown,
      }),
    ])
  })

  it('--resign sends a fresh id and timestamp signed with the dev key: kick listen --accept-dev-signatures takes it', async () => {
    const dir = tempDir()
    const original = delivery(key.privateKey, {
      type: 'kicks.gifted',
      body: JSON.stringify(samplePayload('kicks.gifted')),
      timestamp: '2025-04-01T07:56:19Z',
    })
    const file = saveFile(dir, original, '2025-04-01T07:56:20.123Z')
    const home = isolatedHome()
    // the default replay window, and no way to verify Kick's key: only the dev key can pass
    const target = await listen(['--accept-dev-signatures', '--count', '1'], home)
    const replayed = await runKick(['webhook', 'replay', file, '--to', target.url, '--resign'], { env: home })
    expect(replayed.code, replayed.stderr).toBe(0)
    const [result] = JSON.parse(replayed.stdout) as Result[]
    expect(result).toMatchObject({ id: original.id, status: 200, received_at: '2025-04-01T07:56:20.123Z' })
    expect(result!.sent_id).toMatch(/^[0-9A-Z]{26}$/)
    expect(replayed.stderr).toBe(`200 kicks.gifted ${original.id} from ${file} as ${result!.sent_id}\n`)
    expect((await target.exited).code).toBe(0)
    const [event] = target.events()
    expect(event).toMatchObject({
      id: result!.sent_id,
      type: 'kicks.gifted',
      payload: samplePayload('kicks.gifted'),
    })
    expect(Date.parse(event!.timestamp as string)).toBeGreaterThan(Date.now() - 120_000)
    // the subscription id and the other headers are the saved ones
    expect(event!.subscription_id).toBe(original.headers[EVENT_HEADERS.subscriptionId])
  })

  it('reads one delivery from stdin with -', async () => {
    const d = delivery(key.privateKey, { id: 'piped', body: '{"content": "ünïcode"}' })
    app.stub('POST', '/hook', { status: 200 })
    const result = await runKick(['webhook', 'replay', '-', '--to', `${app.url}/hook`], {
      input: JSON.stringify({ headers: d.headers, body: d.body }),
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toBe('200 chat.message.sent piped from stdin\n')
    expect(app.requests[0]!.body).toBe(d.body)
    expect(app.requests[0]!.headers['kick-event-signature']).toBe(d.headers[EVENT_HEADERS.signature])

    const notJson = await runKick(['webhook', 'replay', '-', '--to', `${app.url}/hook`], { input: 'hello' })
    expect(notJson).toMatchObject({
      code: 2,
      stderr:
        'Error: stdin is not JSON: expected {"headers": {...}, "body": "<raw body>"} (nothing was sent)\n',
    })
    app.verify()
  })

  it('--dry-run checks and lists in order, sending nothing', async () => {
    const dir = tempDir()
    const later = saveFile(dir, delivery(key.privateKey, { id: 'a-later' }), '2026-01-01T10:00:02Z')
    const earlier = saveFile(dir, delivery(key.privateKey, { id: 'b-earlier' }), '2026-01-01T10:00:01Z')
    const result = await runKick(['webhook', 'replay', dir, '--to', `${app.url}/hook`, '--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      `would send chat.message.sent b-earlier from ${earlier}\nwould send chat.message.sent a-later from ${later}\n`,
    )
    expect((JSON.parse(result.stdout) as Result[]).map((r) => [r.file, r.status])).toEqual([
      [earlier, null],
      [later, null],
    ])
    expect(app.requests).toEqual([])
  })

  it('--rate spaces the sends out; a bad --rate is exit 2', async () => {
    const dir = tempDir()
    for (const id of ['r1', 'r2', 'r3']) saveFile(dir, delivery(key.privateKey, { id }))
    const arrivals: number[] = []
    const record = (): { status: number } => {
      arrivals.push(Date.now())
      return { status: 200 }
    }
    app.stub('POST', '/hook', record, record, record)
    const before = Date.now()
    const result = await runKick(['webhook', 'replay', dir, '--to', `${app.url}/hook`, '--rate', '2/s'])
    expect(result.code, result.stderr).toBe(0)
    // the third goes no sooner than a second after the command started (2 a second), however fast the rest is
    expect(arrivals).toHaveLength(3)
    expect(arrivals[2]! - before).toBeGreaterThanOrEqual(1000)

    for (const rate of ['0/s', 'fast', '5/h', '-1']) {
      const bad = await runKick(['webhook', 'replay', dir, '--to', `${app.url}/hook`, '--rate', rate])
      expect(bad.code, rate).toBe(2)
      expect(bad.stderr).toBe(
        `Error: --rate ${rate}: expected deliveries per second or minute, e.g. 5/s or 30/m\n`,
      )
    }
    app.verify()
  })

  it('refuses missing, malformed, huge and unreadable files: a line each, exit 2, nothing sent', async () => {
    const dir = tempDir()
    saveFile(dir, delivery(key.privateKey, { id: 'good' }))
    writeFileSync(join(dir, 'not-json.json'), '{"headers": ')
    writeFileSync(join(dir, 'no-body.json'), JSON.stringify({ headers: {} }))
    writeFileSync(join(dir, 'object-body.json'), JSON.stringify({ headers: {}, body: { a: 1 } }))
    writeFileSync(
      join(dir, 'bad-header.json'),
      JSON.stringify({ headers: { 'bad header': 'x' }, body: '{}' }),
    )
    writeFileSync(
      join(dir, 'bad-value.json'),
      JSON.stringify({ headers: { 'x-a': 'a\r\nx-b: b' }, body: '{}' }),
    )
    writeFileSync(
      join(dir, 'bad-date.json'),
      JSON.stringify({ received_at: 'yesterday', headers: {}, body: '{}' }),
    )
    writeFileSync(join(dir, 'notes.txt'), 'not a delivery, not a .json file: ignored')
    const huge = join(dir, 'huge.json')
    writeFileSync(huge, '')
    truncateSync(huge, 17 * 1024 * 1024)
    const fifo = join(dir, 'fifo.json')
    execFileSync('mkfifo', [fifo])
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    const missing = join(dir, 'missing.json')

    const result = await runKick(['webhook', 'replay', dir, missing, empty, '--to', `${app.url}/hook`], {
      timeoutMs: 30_000,
    })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.split('\n').filter(Boolean)
    expect(lines).toEqual([
      `Error: ${join(dir, 'bad-date.json')}: "received_at" must be a date and time (ISO 8601)`,
      `Error: ${join(dir, 'bad-header.json')}: header "bad header" cannot be sent in an HTTP request`,
      `Error: ${join(dir, 'bad-value.json')}: header "x-a" cannot be sent in an HTTP request`,
      `Error: ${fifo}: not a regular file`,
      `Error: ${huge}: larger than 16 MiB, not a saved delivery`,
      `Error: ${join(dir, 'no-body.json')}: "body" must be the raw body as a string, exactly as received`,
      `Error: ${join(dir, 'not-json.json')} is not JSON: expected {"headers": {...}, "body": "<raw body>"}`,
      `Error: ${join(dir, 'object-body.json')}: "body" must be the raw body as a string, exactly as received`,
      `Error: ${missing}: no such file or directory`,
      `Error: ${empty}: no saved deliveries (*.json files) in it (nothing was sent)`,
    ])
    expect(app.requests).toEqual([])
  })

  it('goes on after a refusal and exits 1 naming how many; an unreachable URL is a refusal too', async () => {
    const dir = tempDir()
    const files = ['f1', 'f2', 'f3'].map((id, index) =>
      saveFile(dir, delivery(key.privateKey, { id }), `2026-01-01T10:00:0${index}Z`),
    )
    app.stub('POST', '/hook', { status: 200 }, { status: 500, body: 'boom\n\u001b[31mred' }, { status: 200 })
    const result = await runKick(['webhook', 'replay', dir, '--to', `${app.url}/hook`])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      [
        `200 chat.message.sent f1 from ${files[0]}`,
        `500 chat.message.sent f2 from ${files[1]}: boom\\n\\e[31mred`,
        `200 chat.message.sent f3 from ${files[2]}`,
        `Error: ${app.url}/hook refused 1 of 3 deliveries`,
        '',
      ].join('\n'),
    )
    expect((JSON.parse(result.stdout) as Result[]).map((r) => r.status)).toEqual([200, 500, 200])
    app.verify()

    const closed = await FixtureServer.start()
    await closed.close()
    const down = await runKick(['webhook', 'replay', files[0]!, '--to', closed.url])
    expect(down.code).toBe(1)
    expect(down.stderr).toBe(
      `failed chat.message.sent f1 from ${files[0]}: could not reach ${closed.url} (ECONNREFUSED)\n` +
        `Error: ${closed.url} refused 1 of 1 deliveries\n`,
    )
  })
})
