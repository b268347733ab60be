import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { useFixtureKick } from '../../helpers/fixture-kick.js'

const streamV2 = (id: string) => ({
  id,
  title: `stream ${id}`,
  thumbnail: '',
  viewer_count: 10,
  started_at: '2026-06-23T10:00:00Z',
  language_code: 'en',
  has_mature_content: false,
  tags: [],
  category: { id: 15, name: 'Just Chatting', thumbnail: '' },
  broadcaster_user: { id: 1, username: 'a', profile_picture: '' },
  channel: { slug: `s${id}` },
})

describe('kick livestreams', () => {
  const { fixture, kick } = useFixtureKick()

  it('lists v2 live streams with repeated category_id and language_code keys', async () => {
    fixture().stub(
      'GET',
      '/public/v2/livestreams',
      ok([streamV2('a')], { pagination: { next_cursor: 'next' } }),
    )
    const result = await kick([
      'livestreams',
      'list',
      '--category-id',
      '15',
      '--category-id',
      '8',
      '--language',
      'en',
      '--language',
      'de',
      '--limit',
      '2',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([streamV2('a')])
    const query = fixture().requests[0]!.query
    expect(query.getAll('category_id')).toEqual(['15', '8'])
    expect(query.getAll('language_code')).toEqual(['en', 'de'])
    expect(query.get('limit')).toBe('2')
    expect(query.has('cursor')).toBe(false)
  })

  it('--paginate follows next_cursor over three pages and prints one JSON array in order', async () => {
    fixture().stub(
      'GET',
      '/public/v2/livestreams',
      ok([streamV2('1'), streamV2('2')], { pagination: { next_cursor: 'c1' } }),
      ok([streamV2('3')], { pagination: { next_cursor: 'c2' } }),
      ok([streamV2('4')], { pagination: { next_cursor: null } }),
    )
    const result = await kick(['livestreams', 'list', '--paginate', '--cursor', 'c0'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(['1', '2', '3', '4'].map(streamV2))
    expect(fixture().requests.map((request) => request.query.get('cursor'))).toEqual(['c0', 'c1', 'c2'])
  })

  it('--broadcaster-id selects the deprecated v1 endpoint with a warning, also in JSON mode', async () => {
    const stream = { broadcaster_user_id: 30111, slug: 'x', stream_title: 't', viewer_count: 5 }
    fixture().stub('GET', '/public/v1/livestreams', ok([stream]))
    const result = await kick([
      'livestreams',
      'list',
      '--broadcaster-id',
      '30111',
      '--broadcaster-id',
      '2',
      '--sort',
      'viewer_count',
      '--json',
    ])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([stream])
    expect(result.stderr).toBe(
      'Warning: GET /public/v1/livestreams is deprecated by Kick since 2026-06-23; without --api-version 1, ' +
        '--broadcaster-id and --sort the v2 endpoint is used\n',
    )
    const query = fixture().requests[0]!.query
    expect(query.getAll('broadcaster_user_id')).toEqual(['30111', '2'])
    expect(query.get('sort')).toBe('viewer_count')
  })

  it('--api-version 1 sends one category_id and language', async () => {
    fixture().stub('GET', '/public/v1/livestreams', ok([]))
    const result = await kick([
      'livestreams',
      'list',
      '--api-version',
      '1',
      '--category-id',
      '15',
      '--language',
      'en',
      '--limit',
      '100',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('[]\n')
    expect(fixture().requests[0]!.query.toString()).toBe('category_id=15&language=en&limit=100')
  })

  it.each([
    [
      ['--api-version', '1', '--category-id', '1', '--category-id', '2'],
      'the v1 endpoint takes one --category-id, not 2',
    ],
    [
      ['--sort', 'started_at', '--language', 'en', '--language', 'de'],
      'the v1 endpoint takes one --language, not 2',
    ],
    [['--api-version', '1', '--paginate'], 'the v1 endpoint has no cursor'],
    [['--broadcaster-id', '5', '--cursor', 'abc'], 'the v1 endpoint has no cursor'],
    [['--api-version', '2', '--sort', 'viewer_count'], 'the v2 endpoint has no --sort: use --api-version 1'],
    [['--limit', '101'], 'Expected an integer less than or equal to 100'],
    [['--sort', 'popular'], 'Expected --sort=popular to be one of: viewer_count, started_at'],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    const result = await kick(['livestreams', 'list', ...args])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(result.stderr).toContain(message)
    expect(fixture().requests).toHaveLength(0)
  })

  it('stats prints the live stream count', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 12345 }))
    const result = await kick(['livestreams', 'stats'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ total_count: 12345 })
  })
})
