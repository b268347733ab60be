import { describe, expect, it } from 'vitest'

import type { Subscription } from '../../src/kick/types.js'
import { subscriptionsCheck } from '../../src/webhooks/doctor.js'

const sub = (id: string, overrides: Record<string, unknown> = {}): Subscription =>
  ({
    app_id: '01JMEFN25GFC',
    broadcaster_user_id: 721956,
    created_at: '2025-02-20T23:33:10Z',
    event: 'chat.message.sent',
    id,
    method: 'webhook',
    updated_at: '2025-02-20T23:33:10Z',
    version: 1,
    ...overrides,
  }) as Subscription

describe('the subscriptions check of kick events doctor', () => {
  it('passes when each event of each broadcaster is listed once', () => {
    expect(
      subscriptionsCheck([
        sub('A'),
        sub('B', { event: 'kicks.gifted' }),
        sub('C', { broadcaster_user_id: 1 }),
      ]),
    ).toEqual({ check: 'subscriptions', ok: true, detail: '3 subscriptions, each listed once' })
  })

  it('flags the same subscription under two ids, and one id listed twice, keeping the first', () => {
    const check = subscriptionsCheck([sub('A'), sub('B'), sub('A', { event: 'kicks.gifted' })])
    expect(check.ok).toBe(false)
    expect(check.detail).toBe('chat.message.sent v1 of broadcaster 721956 is listed 2 times (A, B)')
    expect(check.fix).toBe(
      'delete the extra entries: `kick events unsubscribe B`, then subscribe again if events are missing',
    )
    const twice = subscriptionsCheck([sub('A'), sub('A')])
    expect(twice.detail).toBe('chat.message.sent v1 of broadcaster 721956 is listed 2 times (A, A)')
    expect(twice.fix).toBe('subscribe again if events are missing')
  })

  it('flags unknown entries: an event kick does not know, another method or version, no id', () => {
    const check = subscriptionsCheck([
      sub('A'),
      sub('X', { event: 'chat.message.edited' }),
      sub('Y', { method: 'websocket' }),
      sub('Z', { version: 0 }),
      sub('', { event: 'channel.followed' }),
    ])
    expect(check.ok).toBe(false)
    expect(check.detail.split('; ')).toEqual([
      'unknown entry X: event "chat.message.edited" is not one of Kick\'s event types',
      'unknown entry Y: method "websocket"',
      'unknown entry Z: version 0',
      'an entry without an id (event channel.followed)',
    ])
    expect(check.fix).toBe(
      'delete the extra entries: `kick events unsubscribe X Y Z`, then subscribe again if events are missing',
    )
  })
})
