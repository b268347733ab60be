import { LIMITS } from '../../kick/limits.js'
import type { Handler } from '../context.js'
import { bannedPayload } from '../event-payloads.js'
import { badRequest, jsonBody, ok } from '../http.js'
import { isoSeconds } from '../seed.js'
import type { MockState } from '../state.js'
import { type ApiEndpointId, checkText, isInt, userOf } from './params.js'

export const moderationHandlers = {
  moderationBan: (request, { state, webhooks }, token) => {
    const body = jsonBody(request)
    if (!isInt(body.broadcaster_user_id)) badRequest('broadcaster_user_id must be an integer')
    if (!isInt(body.user_id)) badRequest('user_id must be an integer')
    if (!state.channels.has(body.broadcaster_user_id))
      badRequest('broadcaster_user_id is not a known channel')
    if (body.user_id === body.broadcaster_user_id)
      badRequest('a broadcaster cannot be banned in their own channel')
    const { min, max } = LIMITS.timeoutMinutes
    if (body.duration !== undefined && !(isInt(body.duration, min) && body.duration <= max))
      badRequest(`duration is in minutes, from ${min} to ${max}`)
    const reason =
      body.reason === undefined ? '' : checkText('reason', body.reason, LIMITS.banReasonLength, true)
    const now = Date.now()
    const ban = {
      broadcaster_user_id: body.broadcaster_user_id,
      user_id: body.user_id,
      moderator_user_id: userOf(token),
      reason,
      created_at: isoSeconds(now),
      expires_at: body.duration === undefined ? null : isoSeconds(now + (body.duration as number) * 60_000),
    }
    removeBan(state, ban.broadcaster_user_id, ban.user_id)
    state.bans.push(ban)
    webhooks.emit('moderation.banned', ban.broadcaster_user_id, bannedPayload(state, ban))
    return ok({})
  },

  moderationUnban: (request, { state }) => {
    const body = jsonBody(request)
    if (!isInt(body.broadcaster_user_id)) badRequest('broadcaster_user_id must be an integer')
    if (!isInt(body.user_id)) badRequest('user_id must be an integer')
    // lifting a ban that is not there is no error: scripts can unban without checking first
    removeBan(state, body.broadcaster_user_id, body.user_id)
    return ok({})
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>

function removeBan(state: MockState, broadcasterUserId: number, userId: number): void {
  for (let i = state.bans.length - 1; i >= 0; i--) {
    const ban = state.bans[i]!
    if (ban.broadcaster_user_id === broadcasterUserId && ban.user_id === userId) state.bans.splice(i, 1)
  }
}
