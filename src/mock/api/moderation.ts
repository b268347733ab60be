import { LIMITS } from '../../kick/limits.js'
import type { Handler } from '../context.js'
import { bannedPayload } from '../event-payloads.js'
import { apiError, badRequest, jsonBody, ok, ReplyError } from '../http.js'
import { isoSeconds } from '../seed.js'
import type { MockState } from '../state.js'
import type { AccessTokenRecord } from '../tokens.js'
import { type ApiEndpointId, checkText, isInt, userOf } from './params.js'

export const moderationHandlers = {
  moderationBan: (request, { state, webhooks }, token) => {
    const body = jsonBody(request)
    const { broadcaster, user } = banTarget(state, body, token)
    if (user === broadcaster) badRequest('a broadcaster cannot be banned in their own channel')
    const { min, max } = LIMITS.timeoutMinutes
    if (body.duration !== undefined && !(isInt(body.duration, min) && body.duration <= max))
      badRequest(`duration is in minutes, from ${min} to ${max}`)
    const reason =
      body.reason === undefined ? '' : checkText('reason', body.reason, LIMITS.banReasonLength, true)
    const now = state.now()
    const ban = {
      broadcaster_user_id: broadcaster,
      user_id: user,
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

  moderationUnban: (request, { state }, token) => {
    const { broadcaster, user } = banTarget(state, jsonBody(request), token)
    // lifting a ban that is not there is no error: scripts can unban without checking first
    removeBan(state, broadcaster, user)
    return ok({})
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>

/**
 * The channel and user of a ban or unban, checked as Kick does: the channel must exist (400 "Channel not
 * found", Kick's words on chat), the token's user must own or moderate it (403), and the user must exist
 * (400 "User not found": the reference is silent here; the mock answers in the shape Kick uses for the channel).
 */
function banTarget(
  state: MockState,
  body: Record<string, unknown>,
  token: AccessTokenRecord | undefined,
): { broadcaster: number; user: number } {
  if (!isInt(body.broadcaster_user_id)) badRequest('broadcaster_user_id must be an integer')
  if (!isInt(body.user_id)) badRequest('user_id must be an integer')
  if (!state.channels.has(body.broadcaster_user_id)) badRequest('Channel not found')
  if (!state.moderates(userOf(token), body.broadcaster_user_id))
    throw new ReplyError(
      apiError(403, 'Forbidden: you are neither the broadcaster nor a moderator of this channel'),
    )
  if (!state.users.has(body.user_id)) badRequest('User not found')
  return { broadcaster: body.broadcaster_user_id, user: body.user_id }
}

function removeBan(state: MockState, broadcasterUserId: number, userId: number): void {
  for (let i = state.bans.length - 1; i >= 0; i--) {
    const ban = state.bans[i]!
    if (ban.broadcaster_user_id === broadcasterUserId && ban.user_id === userId) state.bans.splice(i, 1)
  }
}
