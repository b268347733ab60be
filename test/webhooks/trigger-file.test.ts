import { createPublicKey, verify } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS } from '../../src/kick/events.js'
import { signedBytes } from '../../src/webhooks/signature.js'
import { FixtureServer } from '../helpers/fixture-server.js'
import { isolatedHome, runKick } from '../helpers/run-kick.js'
import { type Running, startKick, stopKick, until } from './helpers.js'

/** A payload as a developer writes it: their own fields, odd spacing, non-ASCII text, a trailing newline. */
const PAYLOAD_TEXT =
  '{\n  "broadcaster": {"user_id": 42, "username": "streamer"},\n  "sender": { "username": "bøb 🎁" },\n' +
  '  "gift": {"amount": 100, "name": "Rage Quit"},\n  "custom_field":   [1, 2.50, null]\n}\n'

function payloadFile(text = PAYLOAD_TEXT): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kick-payload-')), 'payload.json')
  writeFileSync(file, text)
  return file
}

describe('kick trigger --file', () => {
  let app: FixtureServer
  beforeAll(async () => (app = await FixtureServer.start()))
  afterAll(() => app.close())
  beforeEach(() => app.reset())

  it("sends the file's exact bytes with the event's headers, signed with the key public-key --dev prints", async () => {
    const home = isolatedHome()
    app.stub('POST', '/hook', { status: 200 })
    const sent = await runKick(
      ['trigger', 'kicks.gifted', '--to', `${app.url}/hook`, '--file', payloadFile()],
      {
        env: home,
      },
    )
    expect(sent).toMatchObject({ code: 0, stderr: '' })
    const [request] = app.requests
    expect(request!.body).toBe(PAYLOAD_TEXT)
    const header = (name: string): string => String(request!.headers[name.toLowerCase()])
    expect(header(EVENT_HEADERS.type)).toBe('kicks.gifted')
    expect(header(EVENT_HEADERS.version)).toBe('1')
    expect(header('content-type')).toBe('application/json')
    for (const name of Object.values(EVENT_HEADERS)) expect(request!.headers[name.toLowerCase()]).toBeTruthy()

    // the dev public key, printed without any network (KICK_API_URL points at a closed port)
    const pem = await runKick(['public-key', '--dev', '--pem'], { env: home })
    expect(pem.code).toBe(0)
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[^]+\n-----END PUBLIC KEY-----\n$/)
    const signed = signedBytes(
      header(EVENT_HEADERS.messageId),
      header(EVENT_HEADERS.timestamp),
      request!.body,
    )
    const signature = Buffer.from(header(EVENT_HEADERS.signature), 'base64')
    expect(verify('sha256', signed, createPublicKey(pem.stdout), signature)).toBe(true)
    const json = await runKick(['public-key', '--dev', '--json'], { env: home })
    expect(JSON.parse(json.stdout)).toEqual({ public_key: pem.stdout })
    app.verify()
  })

  it('reads stdin with --file -, and --version picks the version header', async () => {
    app.stub('POST', '/hook', { status: 204 })
    const sent = await runKick(
      ['trigger', 'chat.message.sent', '--to', `${app.url}/hook`, '--file', '-', '--version', '2'],
      { input: '{"content":"from stdin"}' },
    )
    expect(sent.code).toBe(0)
    expect(app.requests[0]!.body).toBe('{"content":"from stdin"}')
    expect(app.requests[0]!.headers['kick-event-version']).toBe('2')
    expect(app.requests[0]!.headers['kick-event-type']).toBe('chat.message.sent')
  })

  it('applies --set on top, warning about each path the payload does not have', async () => {
    app.stub('POST', '/hook', { status: 200 }, { status: 200 })
    const sent = await runKick([
      'trigger',
      'kicks.gifted',
      '--to',
      `${app.url}/hook`,
      '--file',
      payloadFile(),
      '--set',
      'gift.amount=777',
      '--set',
      'gift.amout=777',
      '--broadcaster-id',
      '7',
    ])
    expect(sent.code).toBe(0)
    expect(sent.stderr).toBe(
      'Warning: --set gift.amout: the payload has no gift.amout; it is added (a typo?)\n',
    )
    const expected = JSON.parse(PAYLOAD_TEXT) as Record<string, Record<string, unknown>>
    expected.gift!.amount = 777
    expected.gift!.amout = 777
    expected.broadcaster!.user_id = 7
    expect(JSON.parse(app.requests[0]!.body)).toEqual(expected)

    // the sample payload warns the same way
    const sample = await runKick([
      'trigger',
      'kicks.gifted',
      '--to',
      `${app.url}/hook`,
      '--set',
      'gift.amout=1',
    ])
    expect(sample.code).toBe(0)
    expect(sample.stderr).toContain('Warning: --set gift.amout: the payload has no gift.amout')
    app.verify()
  })

  it('refuses a file that is missing, not JSON, endless or unusable with --set: exit 2, nothing sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kick-payload-'))
    const cases: [string[], string][] = [
      [
        ['--file', join(dir, 'nope.json')],
        `Error: --file ${join(dir, 'nope.json')}: cannot read it (no such file)\n`,
      ],
      [['--file', dir], `Error: --file ${dir}: cannot read it (a directory, not a file)\n`],
      [['--file', '/dev/zero'], 'Error: --file /dev/zero: cannot read it (larger than 16 MiB)\n'],
      [['--file', payloadFile('{"gift": ')], 'is not JSON: '],
      [['--file', payloadFile('')], 'is not JSON'],
      [
        ['--file', payloadFile('"text"'), '--set', 'a=1'],
        'Error: --set and --broadcaster-id change a JSON object',
      ],
    ]
    for (const [args, message] of cases) {
      const result = await runKick(['trigger', 'kicks.gifted', '--to', `${app.url}/hook`, ...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toContain(message)
      expect(result.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1)
      expect(result.stdout).toBe('')
    }
    const bad = await runKick(['trigger', 'kicks.gifted', '--to', app.url, '--file', payloadFile('{"a": ]')])
    expect(bad.stderr).toMatch(/^Error: --file \S+ is not JSON: .+\n$/)
    expect(app.requests).toEqual([])
  })

  it('--bad-signature passes when the endpoint refuses it and fails (exit 1) when the endpoint takes it', async () => {
    app.stub('POST', '/hook', { status: 200 })
    const taken = await runKick(['trigger', 'kicks.gifted', '--to', `${app.url}/hook`, '--bad-signature'])
    expect(taken.code).toBe(1)
    expect(taken.stderr).toBe(
      `Error: ${app.url}/hook answered 200 to 1 of 1 deliveries with a bad signature: an endpoint must refuse them (401)\n`,
    )
    // well-formed: base64 of an RSA-2048 signature, just not of these bytes
    expect(Buffer.from(String(app.requests[0]!.headers['kick-event-signature']), 'base64')).toHaveLength(256)
    app.verify()
  })
})

describe('kick trigger --file into kick listen --accept-dev-signatures', () => {
  let running: Running | undefined
  afterEach(async () => {
    await stopKick(running)
    running = undefined
  })

  it('verifies a --file delivery (printed as the file holds it) and refuses a --bad-signature one with 401', async () => {
    const home = isolatedHome()
    running = await startKick(['listen', '--accept-dev-signatures'], home)
    const sent = await runKick(['trigger', 'kicks.gifted', '--to', running.url, '--file', payloadFile()], {
      env: home,
    })
    expect(sent.code).toBe(0)
    const [result] = JSON.parse(sent.stdout) as { id: string; status: number }[]
    expect(result!.status).toBe(200)
    await until(() => running!.events().length === 1, 'the printed event')
    expect(running.events()[0]).toMatchObject({
      id: result!.id,
      type: 'kicks.gifted',
      payload: JSON.parse(PAYLOAD_TEXT),
    })

    const bad = await runKick(['trigger', 'kicks.gifted', '--to', running.url, '--bad-signature'], {
      env: home,
    })
    expect(bad.code).toBe(0)
    const [refused] = JSON.parse(bad.stdout) as { id: string; status: number; body: string }[]
    expect(refused!.status).toBe(401)
    expect(JSON.parse(refused!.body)).toEqual({ error: 'signature does not match' })
    await until(() => running!.stderr().includes(`(${refused!.id})`), 'the rejection line')
    expect(running.stderr()).toContain(
      `rejected 401 POST / from 127.0.0.1 (${refused!.id}): signature does not match\n`,
    )
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.events()).toHaveLength(1)
  })
})
