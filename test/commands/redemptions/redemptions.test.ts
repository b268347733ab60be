import { describe, expect, it } from 'vitest'

import { ok, type RecordedRequest } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, useFixtureKick } from '../../helpers/fixture-kick.js'

const REWARD_ID = '01KCTMJ2X3DXT814CVX8FR9T1D'
const A = '01KEWZ2RKYZZFGD154K50Y3F8D'
const B = '01KEWZ2YC27070XWMHKFJR6C87'
const C = '01KERB68MZZ04551D6X5TNRFYV'

/** `count` distinct valid ULIDs. */
function ulids(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `01KEWZ2RKYZZFGD154K50Y${String(i).padStart(4, '0')}`)
}

function group(ids: string[], status = 'pending') {
  return {
    reward: {
      id: REWARD_ID,
      title: 'Unban Request',
      description: 'Request to have your ban lifted',
      cost: 100,
      can_manage: true,
      is_deleted: false,
    },
    redemptions: ids.map((id) => ({
      id,
      redeemed_at: '2025-12-19T06:26:36Z',
      redeemer: { user_id: 123 },
      status,
      user_input: 'sorry mr strimer',
    })),
  }
}

describe('kick redemptions list', () => {
  const { fixture, kick } = useFixtureKick()

  it("sends the filters and prints Kick's groups as they are", async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards/redemptions',
      ok([group([A, B])], { pagination: { next_cursor: 'eyJ9' } }),
    )
    const result = await kick(['redemptions', 'list', '--reward-id', REWARD_ID, '--status', 'pending'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect([...fixture().requests[0]!.query]).toEqual([
      ['reward_id', REWARD_ID],
      ['status', 'pending'],
    ])
    expect(JSON.parse(result.stdout)).toEqual([group([A, B])])
  })

  it('--paginate follows next_cursor to the end and streams one array', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards/redemptions',
      ok([group([A])], { pagination: { next_cursor: 'cursor-2' } }),
      ok([group([B])], { pagination: { next_cursor: '' } }),
    )
    const result = await kick(['redemptions', 'list', '--status', 'accepted', '--paginate'])
    expect(result.code).toBe(0)
    expect(fixture().requests.map((request) => [...request.query])).toEqual([
      [['status', 'accepted']],
      [
        ['status', 'accepted'],
        ['cursor', 'cursor-2'],
      ],
    ])
    expect(JSON.parse(result.stdout)).toEqual([group([A]), group([B])])
  })

  it('--cursor starts from the given page', async () => {
    fixture().stub('GET', '/public/v1/channels/rewards/redemptions', ok([]))
    const result = await kick(['redemptions', 'list', '--cursor', 'eyJjIjoxMH0='])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([])
    expect([...fixture().requests[0]!.query]).toEqual([['cursor', 'eyJjIjoxMH0=']])
  })

  it('asks for 30 --id in requests of 25 and 5 and merges the groups in order', async () => {
    const ids = ulids(30)
    const answer = (request: RecordedRequest) => ok([group(request.query.getAll('id'))])
    fixture().stub('GET', '/public/v1/channels/rewards/redemptions', answer, answer)
    const result = await kick(['redemptions', 'list', ...ids.flatMap((id) => ['--id', id])])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests.map((request) => request.query.getAll('id'))).toEqual([
      ids.slice(0, 25),
      ids.slice(25),
    ])
    expect(JSON.parse(result.stdout)).toEqual([group(ids.slice(0, 25)), group(ids.slice(25))])
  })

  it.each([
    [['--id', A, '--status', 'pending'], /--status=pending cannot also be provided when using --id/],
    [
      ['--id', A, '--reward-id', REWARD_ID],
      /--reward-id=01KCTMJ2X3DXT814CVX8FR9T1D cannot also be provided when using --id/,
    ],
    [['--status', 'done'], /Expected --status=done to be one of: pending, accepted, rejected/],
    [['--reward-id', 'abc'], /--reward-id "abc" is not a Kick id/],
    [['--id', A, '--id', A], /--id 01KEWZ2RKYZZFGD154K50Y3F8D is given twice/],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['redemptions', 'list', ...args]), fixture(), message)
  })
})

describe('kick redemptions accept', () => {
  const { fixture, kick } = useFixtureKick()

  it('POSTs the ids and prints the empty list of failures when all were accepted', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards/redemptions/accept', ok([]))
    const result = await kick(['redemptions', 'accept', A, B])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ ids: [A, B] })
    expect(JSON.parse(result.stdout)).toEqual([])
  })

  it('prints the failures on stdout and exits 1 naming each with its reason', async () => {
    const failures = [
      { id: A, reason: 'NOT_PENDING' },
      { id: C, reason: 'NOT_FOUND' },
    ]
    fixture().stub('POST', '/public/v1/channels/rewards/redemptions/accept', ok(failures))
    const result = await kick(['redemptions', 'accept', A, B, C])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual(failures)
    expect(lines(result.stderr)).toEqual([
      `Error: 2 of 3 redemptions could not be accepted: ${A} (NOT_PENDING), ${C} (NOT_FOUND)`,
    ])
  })

  it('sends 60 ids as 25, 25 and 10 and merges the failures of every batch in order', async () => {
    const ids = ulids(60)
    const failFirst = (request: RecordedRequest) => {
      const [first] = (request.json as { ids: string[] }).ids
      return ok([{ id: first, reason: 'NOT_OWNED' }])
    }
    fixture().stub('POST', '/public/v1/channels/rewards/redemptions/accept', failFirst, failFirst, failFirst)
    const result = await kick(['redemptions', 'accept', ...ids])
    expect(fixture().requests.map((request) => request.json)).toEqual([
      { ids: ids.slice(0, 25) },
      { ids: ids.slice(25, 50) },
      { ids: ids.slice(50) },
    ])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual(
      [ids[0], ids[25], ids[50]].map((id) => ({ id, reason: 'NOT_OWNED' })),
    )
    expect(result.stderr).toMatch(/^Error: 3 of 60 redemptions could not be accepted: /)
  })

  it.each([
    [[], /missing argument ID/],
    [[A, 'nope'], /redemption id "nope" is not a Kick id/],
    [[A, A.toLowerCase()], new RegExp(`redemption id ${A.toLowerCase()} is given twice`)],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['redemptions', 'accept', ...args]), fixture(), message)
  })
})

describe('kick redemptions reject', () => {
  const { fixture, kick } = useFixtureKick()

  it('POSTs to reject without asking outside a terminal', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards/redemptions/reject', ok([]))
    const result = await kick(['redemptions', 'reject', A])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ ids: [A] })
    expect(JSON.parse(result.stdout)).toEqual([])
  })

  it('exits 1 when one could not be rejected', async () => {
    fixture().stub(
      'POST',
      '/public/v1/channels/rewards/redemptions/reject',
      ok([{ id: A, reason: 'UNKNOWN' }]),
    )
    const result = await kick(['redemptions', 'reject', A, '--yes'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual([{ id: A, reason: 'UNKNOWN' }])
    expect(lines(result.stderr)).toEqual([`Error: 1 of 1 redemption could not be rejected: ${A} (UNKNOWN)`])
  })
})
