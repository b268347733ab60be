import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { useFixtureKick } from '../../helpers/fixture-kick.js'

const subscription = (id: string) => ({
  app_id: '01JMEFN25GFC',
  broadcaster_user_id: 721956,
  created_at: '2025-02-20T23:33:10Z',
  event: 'chat.message.sent',
  id,
  method: 'webhook',
  updated_at: '2025-02-20T23:34:14Z',
  version: 1,
})

describe('kick events', () => {
  const { fixture, kick, kickInTerminal } = useFixtureKick()

  it('list filters by broadcaster', async () => {
    fixture().stub('GET', '/public/v1/events/subscriptions', ok([subscription('A')]))
    const result = await kick(['events', 'list', '--broadcaster-id', '721956'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([subscription('A')])
    expect(fixture().requests[0]!.query.toString()).toBe('broadcaster_user_id=721956')
  })

  it('subscribe posts the webhook method, each event with its version, and the broadcaster', async () => {
    const answer = [
      { name: 'chat.message.sent', version: 2, subscription_id: 'S1', error: '' },
      { name: 'kicks.gifted', version: 2, subscription_id: 'S2', error: '' },
    ]
    fixture().stub('POST', '/public/v1/events/subscriptions', ok(answer))
    // then the listing, which holds both: Kick kept them
    fixture().stub('GET', '/public/v1/events/subscriptions', ok([subscription('S2'), subscription('S1')]))
    const result = await kick([
      'events',
      'subscribe',
      'chat.message.sent',
      'kicks.gifted',
      '--broadcaster-id',
      '42',
      '--event-version',
      '2',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(answer)
    expect(fixture().requests.map((request) => request.method)).toEqual(['POST', 'GET'])
    expect(fixture().requests[0]!.json).toEqual({
      method: 'webhook',
      events: [
        { name: 'chat.message.sent', version: 2 },
        { name: 'kicks.gifted', version: 2 },
      ],
      broadcaster_user_id: 42,
    })
  })

  it('subscribe defaults the broadcaster to the logged-in user and the version to 1', async () => {
    fixture().stub(
      'GET',
      '/public/v1/users',
      ok([{ user_id: 7, name: 'me', email: '', profile_picture: '' }]),
    )
    fixture().stub(
      'POST',
      '/public/v1/events/subscriptions',
      ok([{ name: 'channel.followed', version: 1, subscription_id: 'S' }]),
    )
    const result = await kick(['events', 'subscribe', 'channel.followed', '--no-verify'])
    expect(result.code).toBe(0)
    // --no-verify: no listing afterwards
    expect(fixture().requests.map((request) => request.method)).toEqual(['GET', 'POST'])
    expect(fixture().requests[1]!.json).toEqual({
      method: 'webhook',
      events: [{ name: 'channel.followed', version: 1 }],
      broadcaster_user_id: 7,
    })
  })

  it('subscribe prints the answer and exits 1 naming each event Kick refused', async () => {
    const answer = [
      { name: 'chat.message.sent', version: 1, subscription_id: 'S1', error: '' },
      { name: 'kicks.gifted', version: 1, subscription_id: '', error: 'subscription limit reached' },
    ]
    fixture().stub('POST', '/public/v1/events/subscriptions', ok(answer))
    const result = await kick([
      'events',
      'subscribe',
      'chat.message.sent',
      'kicks.gifted',
      '--broadcaster-id',
      '1',
    ])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual(answer)
    expect(result.stderr).toBe(
      'Error: Kick refused 1 of 2 subscriptions (kicks.gifted: subscription limit reached)\n',
    )
  })

  it('subscribe refuses an unknown event type with exit 2 before any request', async () => {
    const result = await kick([
      'events',
      'subscribe',
      'chat.message.sent',
      'chat.sent',
      '--broadcaster-id',
      '1',
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^Error: unknown event chat\.sent: choose from chat\.message\.sent, .*kicks\.gifted\n$/,
    )
    expect(fixture().requests).toHaveLength(0)
  })

  it('unsubscribe asks Kick to delete the given ids (repeated id keys), claiming no more than Kick says', async () => {
    fixture().stub('DELETE', '/public/v1/events/subscriptions', { status: 204 })
    const result = await kick(['events', 'unsubscribe', 'A', 'B'])
    expect(result.code).toBe(0)
    // Kick answers 204 for an id that does not exist too: "requested", not "deleted"
    expect(JSON.parse(result.stdout)).toEqual({ requested: ['A', 'B'] })
    expect(result.stderr).toBe('')
    expect(fixture().requests[0]!.query.getAll('id')).toEqual(['A', 'B'])
  })

  it('unsubscribe in a terminal says the deletion was requested, since Kick cannot tell an unknown id', async () => {
    fixture().stub('DELETE', '/public/v1/events/subscriptions', { status: 204 })
    const result = await kickInTerminal(['events', 'unsubscribe', '01JNOTASUBSCRIPTION0000000'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Requested deletion of 1 subscription (Kick does not say which existed')
    expect(result.stdout).not.toMatch(/Deleted/)
  })

  it('unsubscribe --all lists, then deletes every subscription in batches of 50 without prompting off a terminal', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `ID${String(i).padStart(2, '0')}`)
    fixture().stub('GET', '/public/v1/events/subscriptions', ok(ids.map(subscription)))
    fixture().stub('DELETE', '/public/v1/events/subscriptions', { status: 204 }, { status: 204 })
    const result = await kick(['events', 'unsubscribe', '--all'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ deleted: ids })
    const deletes = fixture().requests.filter((request) => request.method === 'DELETE')
    expect(deletes.map((request) => request.query.getAll('id'))).toEqual([ids.slice(0, 50), ids.slice(50)])
  })

  it('unsubscribe --all with nothing subscribed deletes nothing', async () => {
    fixture().stub('GET', '/public/v1/events/subscriptions', ok([]))
    const result = await kick(['events', 'unsubscribe', '--all', '--yes'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ deleted: [] })
    expect(result.stderr).toBe('')
  })

  it.each([
    [[], 'pass one or more subscription ids, or --all'],
    [['A', '--all'], 'pass subscription ids or --all, not both'],
  ])('unsubscribe %j exits 2', async (args, message) => {
    const result = await kick(['events', 'unsubscribe', ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`Error: ${message}\n`)
    expect(fixture().requests).toHaveLength(0)
  })
})
