import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { useFixtureKick } from '../../helpers/fixture-kick.js'

const category = (id: number) => ({ id, name: `cat ${id}`, tags: ['a'], thumbnail: '' })

describe('kick categories', () => {
  const { fixture, kick } = useFixtureKick()

  it('categories list joins array filters with commas, as the v2 spec declares', async () => {
    fixture().stub('GET', '/public/v2/categories', ok([category(15)], { pagination: { next_cursor: 'x' } }))
    const result = await kick([
      'categories',
      'list',
      '--name',
      'Just Chatting',
      '--name',
      'Slots',
      '--tag',
      'irl',
      '--id',
      '15',
      '--id',
      '8',
      '--limit',
      '1000',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([category(15)])
    const query = fixture().requests[0]!.query
    expect(query.getAll('name')).toEqual(['Just Chatting,Slots'])
    expect(query.getAll('tag')).toEqual(['irl'])
    expect(query.getAll('id')).toEqual(['15,8'])
    expect(query.get('limit')).toBe('1000')
  })

  it('categories list --paginate stops at a page without a cursor', async () => {
    fixture().stub(
      'GET',
      '/public/v2/categories',
      ok([category(1)], { pagination: { next_cursor: 'eyJjX2N1cnNvciI6MTB9' } }),
      ok([category(2)], { pagination: {} }),
    )
    const result = await kick(['categories', 'list', '--paginate'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([category(1), category(2)])
    expect(fixture().requests[1]!.query.get('cursor')).toBe('eyJjX2N1cnNvciI6MTB9')
  })

  it('categories list refuses --limit over 1000 with exit 2', async () => {
    const result = await kick(['categories', 'list', '--limit', '1001'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('less than or equal to 1000')
    expect(fixture().requests).toHaveLength(0)
  })

  it('categories search uses the deprecated v1 endpoint with q and page, and warns', async () => {
    fixture().stub(
      'GET',
      '/public/v1/categories',
      ok([{ id: 101, name: 'Old School Runescape', thumbnail: '' }]),
    )
    const result = await kick(['categories', 'search', 'runescape', '--page', '2'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ id: 101, name: 'Old School Runescape', thumbnail: '' }])
    expect(result.stderr).toBe(
      'Warning: GET /public/v1/categories is deprecated by Kick since 2026-01-15: use `kick categories list --name NAME`\n',
    )
    expect(fixture().requests[0]!.query.toString()).toBe('q=runescape&page=2')
  })

  it('categories get fetches one category by id', async () => {
    const detail = { id: 101, name: 'OSRS', tags: ['pog'], thumbnail: '', viewer_count: 1000 }
    fixture().stub('GET', '/public/v1/categories/101', ok(detail))
    const result = await kick(['categories', 'get', '101'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(detail)
    // categories v1 is deprecated (Kick's changelog, 15/01/2026): the table says so, the warning follows
    expect(result.stderr).toBe(
      'Warning: GET /public/v1/categories/{category_id} is deprecated by Kick since 2026-01-15: use `kick categories list --id ID`\n',
    )
  })

  it('categories get refuses an id that is not a number', async () => {
    const result = await kick(['categories', 'get', 'abc'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'Error: Expected an integer but received: abc: see `kick categories get --help`\n',
    )
    expect(fixture().requests).toHaveLength(0)
  })
})
