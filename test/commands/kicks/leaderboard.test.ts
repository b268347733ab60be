import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { useFixtureKick } from '../../helpers/fixture-kick.js'

describe('kick kicks leaderboard', () => {
  const { fixture, kick } = useFixtureKick()

  it('kicks leaderboard sends top and returns the three periods', async () => {
    const entry = { rank: 1, user_id: 5, username: 'u', gifted_amount: 100 }
    const board = { lifetime: [entry], month: [entry], week: [] }
    fixture().stub('GET', '/public/v1/kicks/leaderboard', ok(board))
    const result = await kick(['kicks', 'leaderboard', '--top', '3'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(board)
    expect(fixture().requests[0]!.query.toString()).toBe('top=3')
  })

  it.each(['0', '101'])('kicks leaderboard refuses --top %s with exit 2', async (top) => {
    const result = await kick(['kicks', 'leaderboard', '--top', top])
    expect(result.code).toBe(2)
    expect(fixture().requests).toHaveLength(0)
  })
})
