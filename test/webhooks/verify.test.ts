import { describe, expect, it } from 'vitest'

import { DROPS_HEADERS, EVENT_HEADERS, samplePayload } from '../../src/kick/events.js'
import { signDelivery } from '../../src/webhooks/signature.js'
import { type TrustedKey, verifyDelivery } from '../../src/webhooks/verify.js'
import { delivery, freshKey } from './helpers.js'

const kick = freshKey()
const other = freshKey()
const trusted: TrustedKey[] = [{ key: kick.publicKey, owner: 'kick' }]
const buffer = (text: string): Buffer => Buffer.from(text, 'utf8')

describe('verifyDelivery', () => {
  it('accepts a delivery signed with the key, reporting its headers and parsed body', () => {
    const d = delivery(kick.privateKey, {
      type: 'kicks.gifted',
      body: JSON.stringify(samplePayload('kicks.gifted')),
    })
    const result = verifyDelivery(d.headers, buffer(d.body), trusted, { maxAgeMs: 600_000 })
    expect(result).toEqual({
      ok: true,
      delivery: {
        id: d.id,
        subscriptionId: d.headers[EVENT_HEADERS.subscriptionId],
        type: 'kicks.gifted',
        version: 1,
        timestamp: d.headers[EVENT_HEADERS.timestamp],
        timestampMs: Date.parse(d.headers[EVENT_HEADERS.timestamp]!),
        payload: samplePayload('kicks.gifted'),
        bodyText: d.body,
        key: 'kick',
      },
    })
  })

  it('reads header names in any casing (Node lower-cases them)', () => {
    const d = delivery(kick.privateKey)
    const lower = Object.fromEntries(
      Object.entries(d.headers).map(([name, value]) => [name.toLowerCase(), value]),
    )
    expect(verifyDelivery(lower, buffer(d.body), trusted).ok).toBe(true)
  })

  it('rejects a body with one byte changed (401)', () => {
    const d = delivery(kick.privateKey)
    const body = buffer(d.body)
    body[10] = body[10]! ^ 1
    expect(verifyDelivery(d.headers, body, trusted)).toEqual({
      ok: false,
      rejection: { status: 401, reason: 'signature does not match', id: d.id },
    })
  })

  it('rejects the same JSON re-serialized: only the raw bytes are signed', () => {
    const d = delivery(kick.privateKey)
    const reserialized = JSON.stringify(JSON.parse(d.body), null, 2)
    expect(JSON.parse(reserialized)).toEqual(JSON.parse(d.body))
    const result = verifyDelivery(d.headers, buffer(reserialized), trusted)
    expect(result.ok ? 0 : result.rejection.status).toBe(401)
  })

  it('rejects a signature made with another key, and accepts it once that key is trusted too', () => {
    const d = delivery(other.privateKey)
    const rejected = verifyDelivery(d.headers, buffer(d.body), trusted)
    expect(rejected.ok ? 0 : rejected.rejection.status).toBe(401)
    const accepted = verifyDelivery(d.headers, buffer(d.body), [
      ...trusted,
      { key: other.publicKey, owner: 'dev' },
    ])
    expect(accepted.ok && accepted.delivery.key).toBe('dev')
  })

  it('rejects a signature that is not base64', () => {
    const d = delivery(kick.privateKey)
    for (const bad of ['not base64!', d.headers[EVENT_HEADERS.signature]!.slice(0, -4) + '****', '']) {
      const result = verifyDelivery({ ...d.headers, [EVENT_HEADERS.signature]: bad }, buffer(d.body), trusted)
      expect(result.ok).toBe(false)
      expect(result.ok ? 0 : result.rejection.status).toBe(bad === '' ? 400 : 401)
    }
  })

  it('rejects a missing signed header (id, signature, timestamp) with 400, naming each', () => {
    const d = delivery(kick.privateKey)
    const headers = { ...d.headers }
    delete headers[EVENT_HEADERS.signature]
    delete headers[EVENT_HEADERS.type]
    expect(verifyDelivery(headers, buffer(d.body), trusted)).toEqual({
      ok: false,
      rejection: { status: 400, reason: 'missing header Kick-Event-Signature', id: d.id },
    })
    expect(verifyDelivery({}, buffer(d.body), trusted)).toEqual({
      ok: false,
      rejection: {
        status: 400,
        reason: 'missing header Kick-Event-Message-Id, Kick-Event-Signature, Kick-Event-Message-Timestamp',
      },
    })
  })

  it('accepts a valid signature without the unsigned headers, reporting them as null', () => {
    const d = delivery(kick.privateKey)
    for (const name of [EVENT_HEADERS.subscriptionId, EVENT_HEADERS.type, EVENT_HEADERS.version]) {
      const headers = { ...d.headers }
      delete headers[name]
      const result = verifyDelivery(headers, buffer(d.body), trusted)
      expect(result.ok, name).toBe(true)
      const fields = result.ok ? result.delivery : undefined
      expect([fields?.subscriptionId, fields?.type, fields?.version].filter((v) => v === null)).toHaveLength(
        1,
      )
    }
    const bare = { ...d.headers }
    for (const name of [EVENT_HEADERS.subscriptionId, EVENT_HEADERS.type, EVENT_HEADERS.version])
      bare[name] = ''
    expect(verifyDelivery(bare, buffer(d.body), trusted)).toMatchObject({
      ok: true,
      delivery: { id: d.id, subscriptionId: null, type: null, version: null },
    })
    // an event type Kick has not documented yet is what it says
    const added = delivery(kick.privateKey, { type: 'channel.raid.started', body: '{"raid":1}' })
    expect(verifyDelivery(added.headers, buffer(added.body), trusted)).toMatchObject({
      ok: true,
      delivery: { type: 'channel.raid.started', payload: { raid: 1 } },
    })
  })

  it('rejects a timestamp that is not RFC 3339 with 400, even one Date.parse reads', () => {
    const d = delivery(kick.privateKey, { timestamp: 'yesterday' })
    expect(verifyDelivery(d.headers, buffer(d.body), trusted)).toEqual({
      ok: false,
      rejection: { status: 400, reason: 'timestamp "yesterday" is not RFC 3339', id: d.id },
    })
    for (const timestamp of [
      'Wed, 25 Nov 2026 13:44:07 GMT',
      '2026-11-25',
      '2026-11-25 13:44:07Z',
      '2026-11-25T13:44:07',
      '2026-11-25T13:44Z',
      '2026-13-25T13:44:07Z',
      '2026-11-25T24:00:00Z',
      '1764078247',
      '+002026-11-25T13:44:07Z',
    ]) {
      const signed = delivery(kick.privateKey, { timestamp })
      const result = verifyDelivery(signed.headers, buffer(signed.body), trusted)
      expect(result.ok ? 0 : result.rejection.status, timestamp).toBe(400)
    }
    for (const timestamp of [
      '2026-11-25T13:44:07Z',
      '2026-11-25T13:44:07.123456Z',
      // nanoseconds, as Kick writes a chat message's created_at
      '2026-11-25T13:44:07.123408909Z',
      '2026-11-25t13:44:07z',
      '2026-11-25T14:44:07+01:00',
    ]) {
      const signed = delivery(kick.privateKey, { timestamp })
      const result = verifyDelivery(signed.headers, buffer(signed.body), trusted)
      expect(result.ok && result.delivery.timestampMs, timestamp).toBe(
        Date.parse(timestamp.includes('.') ? '2026-11-25T13:44:07.123Z' : '2026-11-25T13:44:07Z'),
      )
    }
  })

  it('rejects a stale timestamp as a replay (401) within the window, and not when the window is off', () => {
    const d = delivery(kick.privateKey, { timestamp: '2025-04-01T07:56:19Z' })
    const now = Date.parse('2025-04-01T08:06:20Z') // 10 min 1 s later
    expect(verifyDelivery(d.headers, buffer(d.body), trusted, { maxAgeMs: 600_000, now })).toEqual({
      ok: false,
      rejection: {
        status: 401,
        reason: 'timestamp 2025-04-01T07:56:19Z is older than 10m (replay)',
        id: d.id,
      },
    })
    expect(verifyDelivery(d.headers, buffer(d.body), trusted, { maxAgeMs: 602_000, now }).ok).toBe(true)
    expect(verifyDelivery(d.headers, buffer(d.body), trusted, { maxAgeMs: 0, now }).ok).toBe(true)
    const early = Date.parse('2025-04-01T07:40:00Z')
    const ahead = verifyDelivery(d.headers, buffer(d.body), trusted, { maxAgeMs: 600_000, now: early })
    expect(ahead.ok ? '' : ahead.rejection.reason).toBe(
      'timestamp 2025-04-01T07:56:19Z is more than 10m ahead',
    )
  })

  it('verifies a non-ASCII body byte for byte and parses it as UTF-8', () => {
    const payload = { ...samplePayload('chat.message.sent'), content: 'Grüße 👋 日本語 [emote:37226:KEKW]' }
    const d = delivery(kick.privateKey, { body: JSON.stringify(payload) })
    const result = verifyDelivery(d.headers, buffer(d.body), trusted)
    expect(result.ok && (result.delivery.payload as { content: string }).content).toBe(
      'Grüße 👋 日本語 [emote:37226:KEKW]',
    )
    // the same text in Latin-1 is other bytes: not what was signed
    const latin1 = verifyDelivery(d.headers, Buffer.from(d.body, 'latin1'), trusted)
    expect(latin1.ok).toBe(false)
  })

  it('rejects a correctly signed body that is not UTF-8 JSON with 400', () => {
    const notJson = delivery(kick.privateKey, { body: '{"content": ' })
    expect(verifyDelivery(notJson.headers, buffer(notJson.body), trusted)).toEqual({
      ok: false,
      rejection: { status: 400, reason: 'body is not JSON', id: notJson.id },
    })
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])
    const id = '01JQR5KV0QC94HMETWYNBWRW4Z'
    const timestamp = '2025-04-01T07:56:19Z'
    const headers: Record<string, string> = {
      ...notJson.headers,
      [EVENT_HEADERS.messageId]: id,
      [EVENT_HEADERS.timestamp]: timestamp,
      [EVENT_HEADERS.signature]: signDelivery(kick.privateKey, id, timestamp, bytes),
    }
    const result = verifyDelivery(headers, bytes, trusted)
    expect(result.ok ? '' : result.rejection.reason).toBe('body is not UTF-8')
  })

  it('accepts drops deliveries with their own header names', () => {
    const id = '01KAAFHJ2PNXS48NG8XXPGWKCZ'
    const timestamp = '2025-11-18T10:00:00Z'
    const body = JSON.stringify({
      claim_id: 'c1',
      user_id: 1234,
      campaign_id: 'x',
      reward_id: 'r',
      external_id: 'e',
    })
    const headers = {
      [DROPS_HEADERS.messageId]: id,
      [DROPS_HEADERS.timestamp]: timestamp,
      [DROPS_HEADERS.signature]: signDelivery(kick.privateKey, id, timestamp, body),
    }
    const result = verifyDelivery(headers, buffer(body), trusted)
    expect(result).toMatchObject({
      ok: true,
      delivery: { id, type: 'drops.claim', subscriptionId: null, version: null, timestamp },
    })
  })

  it('treats a repeated Kick header as malformed', () => {
    const d = delivery(kick.privateKey)
    const headers = {
      ...d.headers,
      [EVENT_HEADERS.type.toLowerCase()]: ['chat.message.sent', 'kicks.gifted'],
    }
    delete headers[EVENT_HEADERS.type]
    const result = verifyDelivery(headers, buffer(d.body), trusted)
    expect(result.ok ? '' : result.rejection.reason).toBe('repeated header Kick-Event-Type')
  })

  it("tells a header sent twice, which Node joins with ', ', from one value, by the raw headers", () => {
    const d = delivery(kick.privateKey)
    const raw = Object.entries(d.headers).flat()
    const joined = { ...d.headers, [EVENT_HEADERS.type]: 'chat.message.sent, kicks.gifted' }
    const twice = [...raw, EVENT_HEADERS.type.toUpperCase(), 'kicks.gifted']
    expect(verifyDelivery(joined, buffer(d.body), trusted, {}, twice)).toEqual({
      ok: false,
      rejection: { status: 400, reason: 'repeated header Kick-Event-Type' },
    })
    // sent once with a comma in it: printed as received
    const once = verifyDelivery(joined, buffer(d.body), trusted, {}, raw)
    expect(once.ok && once.delivery.type).toBe('chat.message.sent, kicks.gifted')
  })
})
