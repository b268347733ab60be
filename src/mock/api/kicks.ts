import type { Handler } from '../context.js'
import { ok } from '../http.js'
import { type ApiEndpointId, intParam, userOf } from './params.js'

export const kicksHandlers = {
  kicksLeaderboard: (request, { state }, token) => {
    const top = intParam(request.query, 'top', 1, 100, 10)
    const board = state.leaderboards.get(userOf(token))
    return ok({
      lifetime: board?.lifetime.slice(0, top) ?? [],
      month: board?.month.slice(0, top) ?? [],
      week: board?.week.slice(0, top) ?? [],
    })
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>
