import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { EVENT_HEADERS, EVENT_TYPES, samplePayload } from '../../src/kick/events.js'
import { FixtureServer } from '../helpers/fixture-server.js'
import { isolatedHome, runKick } from '../helpers/run-kick.js'
import { delivery, freshKey, type Running, send, startKick, stopKick, until } from './helpers.js'

let running: Running | undefined
afterEach(async () => {
  await stopKick(running)
  running = undefined
})

describe('kick trigger into kick listen', () => {
  it('is accepted by listen --accept-dev-signatures (same dev key), and printed with the --set changes', async () => {
    const home = isolatedHome()
    const saveDir = mkdtempSync(join(tmpdir(), 'kick-save-'))
    running = await startKick(['listen', '--accept-dev-signatures', '--count', '2', '--save', saveDir], home)
    const sent = await runKick(
      [
        'trigger',
        'kicks.gifted',
        '--to',
        running.url,
        '--count',
        '2',
        '--broadcaster-id',
        '721956',
        '--set',
        'gift.amount=500',
        '--set',
        'sender.username=bob',
        '--set',
        'gift.message="100"',
      ],
      { env: home },
    )
    expect(sent.code).toBe(0)
    const results = JSON.parse(sent.stdout) as { id: string; type: string; status: number; body: string }[]
    expect(results.map((result) => [result.type, result.status, result.body])).toEqual([
      ['kicks.gifted', 200, ''],
      ['kicks.gifted', 200, ''],
    ])
    expect((await running.exited).code).toBe(0)
    const printed = running.events() as unknown as {
      id: string
      type: string
      payload: ReturnType<typeof samplePayload>
    }[]
    expect(printed.map((event) => event.id)).toEqual(results.map((result) => result.id))
    const expected = samplePayload('kicks.gifted') as {
      broadcaster: { user_id: number }
      sender: { username: string }
      gift: { amount: number; message: string }
    }
    expected.broadcaster.user_id = 721956
    expected.sender.username = 'bob'
    expected.gift.amount = 500
    expected.gift.message = '100'
    expect(printed[0]!.payload).toEqual(expected)

    // the saved delivery verifies offline with the same dev key, and only with it
    const file = join(saveDir, `${results[0]!.id}.json`)
    const valid = await runKick(['webhook', 'verify', '--file', file, '--accept-dev-signatures'], {
      env: home,
    })
    expect(valid.code).toBe(0)
    expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, id: results[0]!.id, key: 'dev' })
    const withoutDev = await runKick(['webhook', 'verify', '--file', file], { env: home })
    expect(withoutDev.code).toBe(1)
    expect(withoutDev.stderr).toContain(
      'Error: invalid delivery: signed with the local development key (kick trigger, kick mock), accepted only with --accept-dev-signatures\n',
    )
  })

  it('is rejected (401) by a listener without --accept-dev-signatures; both sides name the flag', async () => {
    // one config dir for both, as on a developer's machine: trigger generates the dev key after listen started
    const home = isolatedHome()
    running = await startKick(['listen'], home)
    const sent = await runKick(['trigger', 'channel.followed', '--to', running.url], { env: home })
    expect(sent.code).toBe(1)
    const reason =
      'signed with the local development key (kick trigger, kick mock), accepted only with --accept-dev-signatures'
    const [result] = JSON.parse(sent.stdout) as { id: string }[]
    expect(result).toEqual({
      id: expect.any(String),
      type: 'channel.followed',
      status: 401,
      body: JSON.stringify({ error: reason }),
    })
    expect(sent.stderr).toBe(
      `Error: ${running.url} answered 401 to 1 of 1 deliveries: kick trigger signs with the local development key, ` +
        'which `kick listen` accepts only with --accept-dev-signatures\n',
    )
    await until(() => running!.stderr().includes('rejected 401'), 'the rejection line')
    expect(running.stderr()).toContain(`rejected 401 POST / from 127.0.0.1 (${result!.id}): ${reason}\n`)
    // a forgery is still only a mismatch
    const forged = delivery(freshKey().privateKey)
    expect((await send(running.url, forged)).status).toBe(401)
    await until(() => running!.stderr().includes(forged.id), 'the forgery line')
    expect(running.stderr()).toContain(`(${forged.id}): signature does not match\n`)
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.stdout()).toBe('')
  })
})

describe('kick trigger', () => {
  let app: FixtureServer
  beforeAll(async () => (app = await FixtureServer.start()))
  afterAll(() => app.close())
  beforeEach(() => app.reset())

  it('POSTs the sample with all six headers and the body it signed', async () => {
    app.stub('POST', '/hook', { status: 204 })
    const result = await runKick([
      'webhook',
      'trigger',
      'livestream.status.updated',
      '--to',
      `${app.url}/hook`,
    ])
    expect(result.code).toBe(0)
    const [request] = app.requests
    expect(request!.json).toEqual(samplePayload('livestream.status.updated'))
    for (const name of Object.values(EVENT_HEADERS)) expect(request!.headers[name.toLowerCase()]).toBeTruthy()
    expect(request!.headers['kick-event-type']).toBe('livestream.status.updated')
    expect(request!.headers['kick-event-version']).toBe('1')
    expect(request!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: request!.headers['kick-event-message-id'],
        type: 'livestream.status.updated',
        status: 204,
        body: '',
      },
    ])
    app.verify()
  })

  it('refuses an unknown event, a bad --set and a bad --to with exit 2, sending nothing', async () => {
    const cases: [string[], string][] = [
      [['chat.sent', '--to', app.url], 'Error: unknown event chat.sent: choose from '],
      [['kicks.gifted', '--to', app.url, '--set', 'novalue'], 'Error: --set novalue: expected path=value'],
      [
        ['kicks.gifted', '--to', app.url, '--set', 'gift.amount.x=1'],
        'Error: --set gift.amount.x: amount is 500, not an object',
      ],
      [['kicks.gifted', '--to', 'example.com'], 'Error: --to example.com: expected an http(s) URL'],
      [
        ['kicks.gifted', '--to', app.url, '--set', '__proto__.polluted=1'],
        'Error: --set __proto__.polluted: __proto__ may not appear in a path\n',
      ],
      [
        ['kicks.gifted', '--to', app.url, '--set', 'gift.constructor.prototype.x=1'],
        'Error: --set gift.constructor.prototype.x: constructor may not appear in a path\n',
      ],
    ]
    for (const [args, message] of cases) {
      const result = await runKick(['trigger', ...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.startsWith(message), result.stderr).toBe(true)
    }
    // kick mock trigger refuses it before calling the mock (the fixture would record the call)
    const mock = await runKick(['mock', 'trigger', 'kicks.gifted', '--set', 'prototype=1'], {
      env: { KICK_API_URL: app.url },
    })
    expect(mock).toMatchObject({
      code: 2,
      stderr: 'Error: --set prototype: prototype may not appear in a path\n',
    })
    expect(app.requests).toEqual([])
  })

  it('exits 1 with one line when the URL cannot be reached', async () => {
    const closed = await FixtureServer.start()
    await closed.close()
    const result = await runKick(['trigger', 'kicks.gifted', '--to', closed.url])
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `Error: could not reach ${closed.url} (ECONNREFUSED)\n`,
    })
  })
})

describe('kick webhook sample', () => {
  it('prints valid JSON for all 10 event types', async () => {
    for (const type of EVENT_TYPES) {
      const result = await runKick(['webhook', 'sample', type])
      expect(result.code, type).toBe(0)
      const printed = JSON.parse(result.stdout) as { broadcaster?: { user_id?: unknown } }
      expect(printed).toEqual(samplePayload(type))
      expect(typeof printed.broadcaster?.user_id, type).toBe('number')
    }
    const unknown = await runKick(['webhook', 'sample', 'nope'])
    expect(unknown.code).toBe(2)
  })
})

describe('kick listen --demo', () => {
  it('--count 3 prints 3 verified sample events from the in-process mock Kick, with no network', async () => {
    // KICK_API_URL points nowhere: the demo must not need it
    const result = await runKick(['listen', '--demo', '--count', '3'], { timeoutMs: 25_000 })
    expect(result.code).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; version: number; payload: unknown })
    expect(events.map((event) => event.type)).toEqual(EVENT_TYPES.slice(0, 3))
    expect(events.every((event) => event.version === 1)).toBe(true)
    // viewers with names, not the docs' placeholders
    const [chat, follow] = events.map((event) => event.payload as Record<string, { username: string }>)
    expect([chat!.sender!.username, follow!.follower!.username]).toEqual(['pixelqueen', 'lurker42'])
    expect(result.stderr).toContain(
      'Verifying signatures with the local development key (served by the demo Kick)',
    )
    expect(result.stderr).toContain('Subscribed to 10 event types of broadcaster')
    expect(result.stderr).toContain('Unsubscribed 10 subscriptions')
    expect(result.stderr).not.toContain('rejected')
  })
})
