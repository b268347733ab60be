import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { useFixtureKick } from '../../helpers/fixture-kick.js'

const claim = (id: string) => ({
  claim_id: id,
  user_id: 1234,
  campaign_id: 'CAMP',
  reward_id: 'REW',
  external_id: 'sku-1',
  external_status: 'initiated',
  created_at: '2025-11-18T10:00:00Z',
  updated_at: '2025-11-18T10:00:00Z',
})

describe('kick drops claims', () => {
  const { fixture, kick } = useFixtureKick()

  it('list sends every filter under its query key', async () => {
    fixture().stub('GET', '/public/v1/drops/claims', ok({ claims: [claim('C1')], cursor: 'C1' }))
    const result = await kick([
      'drops',
      'claims',
      'list',
      '--campaign-id',
      'CAMP',
      '--user-id',
      '1234',
      '--claim-id',
      'C1',
      '--external-status',
      'initiated',
      '--limit',
      '5',
      '--cursor',
      'C0',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([claim('C1')])
    expect(fixture().requests[0]!.query.toString()).toBe(
      'campaign_id=CAMP&user_id=1234&claim_id=C1&external_status=initiated&limit=5&cursor=C0',
    )
  })

  it('list --paginate follows the cursor nested in data', async () => {
    fixture().stub(
      'GET',
      '/public/v1/drops/claims',
      ok({ claims: [claim('C1'), claim('C2')], cursor: 'C2' }),
      ok({ claims: [claim('C3')], cursor: 'C3' }),
      ok({ claims: [], cursor: null }),
    )
    const result = await kick(['drops', 'claims', 'list', '--paginate'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([claim('C1'), claim('C2'), claim('C3')])
    expect(fixture().requests.map((request) => request.query.get('cursor'))).toEqual([null, 'C2', 'C3'])
  })

  it('update sends CLAIM_ID=STATUS pairs in batches of 100, in order', async () => {
    const pairs = Array.from({ length: 250 }, (_, i) => [`CL${i}`, i % 2 ? 'processed' : 'failed'] as const)
    fixture().stub('PATCH', '/public/v1/drops/claims', { status: 204 }, { status: 204 }, { status: 204 })
    const result = await kick([
      'drops',
      'claims',
      'update',
      ...pairs.map(([id, status]) => `${id}=${status}`),
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const expected = pairs.map(([claim_id, external_status]) => ({ claim_id, external_status }))
    expect(JSON.parse(result.stdout)).toEqual({ updated: expected })
    expect(fixture().requests.map((request) => request.json)).toEqual([
      { claims: expected.slice(0, 100) },
      { claims: expected.slice(100, 200) },
      { claims: expected.slice(200) },
    ])
  })

  it('update refuses an argument that is not CLAIM_ID=STATUS with exit 2', async () => {
    const result = await kick(['drops', 'claims', 'update', 'A=processed', 'B'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'Error: "B" is not CLAIM_ID=STATUS (e.g. 01KAAFHJ2PNXS48NG8XXPGWKCZ=processed)\n',
    )
    expect(fixture().requests).toHaveLength(0)
  })
})
