import { describe, expect, it } from 'vitest'

import { emotesAsNames, eventJsonLine, eventRecord, jsonPreview } from '../../src/webhooks/event-line.js'
import type { VerifiedDelivery } from '../../src/webhooks/verify.js'

function delivery(bodyText: string, overrides: Partial<VerifiedDelivery> = {}): VerifiedDelivery {
  return {
    id: '01JQR5KV0QC94HMETWYNBWRW4Z',
    subscriptionId: '01JMJVAGE9JQS97VRBXXXXXXXX',
    type: 'chat.message.sent',
    version: 1,
    timestamp: '2025-04-01T07:56:19Z',
    timestampMs: Date.parse('2025-04-01T07:56:19Z'),
    payload: JSON.parse(bodyText) as unknown,
    bodyText,
    key: 'kick',
    ...overrides,
  }
}

const receivedAt = new Date('2025-04-01T07:56:19.123Z')

describe('eventJsonLine', () => {
  it('keeps a chat created_at with nanoseconds digit for digit (never re-read as a Date)', () => {
    const d = delivery('{"content":"hi","created_at":"2025-08-20T07:05:42.561408909Z"}')
    const line = eventJsonLine(d, receivedAt)
    expect(line).toContain('"created_at":"2025-08-20T07:05:42.561408909Z"')
    expect(JSON.parse(line)).toEqual(eventRecord(d, receivedAt))
  })

  it('is exactly JSON.stringify of the event record for a body in canonical form', () => {
    const d = delivery('{"content":"héllo \\"quoted\\"","emotes":null,"n":[1,2.5,-300]}')
    expect(eventJsonLine(d, receivedAt)).toBe(JSON.stringify(eventRecord(d, receivedAt)))
  })

  it('keeps the value of a body in any valid spelling (escapes, exponents)', () => {
    const d = delivery('{"content":"\\u00e9 \\u2028","n":-3e2}')
    expect(JSON.parse(eventJsonLine(d, receivedAt))).toEqual(eventRecord(d, receivedAt))
  })

  it('keeps a pretty-printed body on one line with the same value', () => {
    const d = delivery('{\r\n  "content": "line\\nbreak",\n  "sender": { "username": "a" }\n}\n', {
      subscriptionId: null,
      version: null,
      type: 'drops.claim',
    })
    const line = eventJsonLine(d, receivedAt)
    expect(line).not.toMatch(/[\r\n]/)
    expect(JSON.parse(line)).toEqual(eventRecord(d, receivedAt))
  })

  it('prints the unsigned fields a delivery came without as null', () => {
    const d = delivery('{"content":"hi"}', { subscriptionId: null, type: null, version: null })
    expect(eventJsonLine(d, receivedAt)).toBe(JSON.stringify(eventRecord(d, receivedAt)))
    expect(JSON.parse(eventJsonLine(d, receivedAt))).toMatchObject({
      subscription_id: null,
      type: null,
      version: null,
    })
  })

  it('escapes header values that need it', () => {
    const d = delivery('{}', { type: 'weird"type\\', version: '1.0' })
    expect(JSON.parse(eventJsonLine(d, receivedAt))).toEqual(eventRecord(d, receivedAt))
  })
})

describe('emotesAsNames', () => {
  it('shows each [emote:ID:NAME] as :NAME: and leaves anything else alone', () => {
    expect(emotesAsNames('gg [emote:37226:KEKW][emote:1:PogU] ok')).toBe('gg :KEKW::PogU: ok')
    expect(emotesAsNames('[emote:x:KEKW] [emote:12:] [emote:12:a b]')).toBe(
      '[emote:x:KEKW] [emote:12:] [emote:12:a b]',
    )
  })
})

describe('jsonPreview', () => {
  it('is the start of JSON.stringify for what JSON.parse makes', () => {
    const values: unknown[] = [
      null,
      true,
      42.5,
      'a "quoted"\n line',
      [],
      {},
      [1, [2, [3, {}]], { a: null }],
      { user: { name: 'x', tags: ['a', 'b'] }, empty: [], n: -1e21, s: '\u001b[31m' },
      JSON.parse(JSON.stringify({ long: 'y'.repeat(500), list: Array.from({ length: 100 }, (_, i) => i) })),
    ]
    for (const value of values)
      for (const max of [0, 1, 7, 40, 100, 10_000])
        expect(jsonPreview(value, max), `${JSON.stringify(value)} ${max}`).toBe(
          JSON.stringify(value).slice(0, max),
        )
  })

  it('walks 100,000 levels without recursing (JSON.stringify overflows the stack there before Node 26)', () => {
    const depth = 100_000
    const arrays: unknown = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    const objects: unknown = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
    expect(jsonPreview(arrays, 100)).toBe('['.repeat(100))
    expect(jsonPreview(objects, 12)).toBe('{"a":{"a":{"')
  })
})
