import type { FailedRedemption, RedemptionGroup, Reward } from '../../kick/types.js'
import { ulid } from '../../kick/events.js'
import { LIMITS } from '../../kick/limits.js'
import type { Handler, MockContext } from '../context.js'
import { redemptionPayload } from '../event-payloads.js'
import {
  apiError,
  badRequest,
  jsonBody,
  type MockRequest,
  noContent,
  notFound,
  ok,
  ReplyError,
} from '../http.js'
import type { MockRedemption, MockReward } from '../state.js'
import type { AccessTokenRecord } from '../tokens.js'
import { type ApiEndpointId, checkBoolean, checkText, isInt, page, stringList, userOf } from './params.js'

/** Channel points: rewards and their redemptions. */

function rewardView(reward: MockReward): Reward {
  return {
    id: reward.id,
    title: reward.title,
    description: reward.description,
    cost: reward.cost,
    background_color: reward.background_color,
    is_enabled: reward.is_enabled,
    is_paused: reward.is_paused,
    is_user_input_required: reward.is_user_input_required,
    should_redemptions_skip_request_queue: reward.should_redemptions_skip_request_queue,
  }
}

function redemptionView(redemption: MockRedemption): RedemptionGroup['redemptions'][number] {
  return {
    id: redemption.id,
    redeemed_at: redemption.redeemed_at,
    redeemer: { user_id: redemption.redeemer_user_id },
    status: redemption.status,
    user_input: redemption.user_input,
  }
}

/** The token owner's reward, or 404; 403 when another app (or Kick's dashboard) made it. */
function ownReward(
  context: MockContext,
  request: MockRequest,
  token: AccessTokenRecord | undefined,
): MockReward {
  const reward = context.state.rewards.get(request.params.id ?? '')
  if (!reward || reward.is_deleted || reward.broadcaster_user_id !== userOf(token)) notFound('reward')
  if (reward.app_id !== '*' && reward.app_id !== token?.clientId) {
    throw new ReplyError(apiError(403, 'Forbidden: only the app that created a reward may change it'))
  }
  return reward
}

/** Reward fields of a create or update body, checked against Kick's limits. */
function rewardFields(body: Record<string, unknown>, creating: boolean): Partial<Reward> {
  const allowed = [
    'title',
    'cost',
    'description',
    'background_color',
    'is_enabled',
    'is_user_input_required',
    'should_redemptions_skip_request_queue',
    ...(creating ? [] : ['is_paused']),
  ]
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length) badRequest(`unknown field ${unknown.join(', ')}`)
  if (!creating && Object.keys(body).length === 0) badRequest('give at least one field to change')
  const fields: Partial<Reward> = {}
  if (creating || body.title !== undefined)
    fields.title = checkText('title', body.title, LIMITS.rewardTitleLength)
  if (creating || body.cost !== undefined) {
    if (!isInt(body.cost, LIMITS.rewardCostMin))
      badRequest(`cost must be an integer of at least ${LIMITS.rewardCostMin}`)
    fields.cost = body.cost
  }
  if (body.description !== undefined)
    fields.description = checkText('description', body.description, LIMITS.rewardDescriptionLength, true)
  if (body.background_color !== undefined) {
    if (typeof body.background_color !== 'string' || !/^#[0-9a-f]{6}$/i.test(body.background_color))
      badRequest('background_color must be a hex colour such as #00e701')
    fields.background_color = body.background_color
  }
  for (const key of [
    'is_enabled',
    'is_paused',
    'is_user_input_required',
    'should_redemptions_skip_request_queue',
  ] as const)
    if (body[key] !== undefined) fields[key] = checkBoolean(key, body[key])
  return fields
}

function decideRedemptions(status: 'accepted' | 'rejected'): Handler {
  return (request, context, token) => {
    const body = jsonBody(request)
    const ids = body.ids
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 25 ||
      !ids.every((id) => typeof id === 'string')
    )
      badRequest('ids must be a list of 1 to 25 redemption ids')
    if (new Set(ids).size !== ids.length) badRequest('ids must not repeat')
    const { state, webhooks } = context
    const failed: FailedRedemption[] = []
    for (const id of ids as string[]) {
      const redemption = state.redemptions.get(id)
      const reward = redemption && state.rewards.get(redemption.reward_id)
      if (!redemption || !reward || redemption.broadcaster_user_id !== userOf(token)) {
        failed.push({ id, reason: 'NOT_FOUND' })
      } else if (reward.app_id !== '*' && reward.app_id !== token?.clientId) {
        failed.push({ id, reason: 'NOT_OWNED' })
      } else if (redemption.status !== 'pending') {
        failed.push({ id, reason: 'NOT_PENDING' })
      } else {
        redemption.status = status
        webhooks.emit(
          'channel.reward.redemption.updated',
          redemption.broadcaster_user_id,
          redemptionPayload(state, redemption, reward),
        )
      }
    }
    return ok(failed)
  }
}

export const rewardsHandlers = {
  rewardsList: (_request, { state }, token) =>
    ok(
      [...state.rewards.values()]
        .filter((reward) => reward.broadcaster_user_id === userOf(token) && !reward.is_deleted)
        .map(rewardView),
    ),

  rewardsCreate: (request, { state }, token) => {
    const fields = rewardFields(jsonBody(request), true)
    const reward: MockReward = {
      id: ulid(),
      title: fields.title!,
      description: fields.description ?? '',
      cost: fields.cost!,
      background_color: fields.background_color ?? '#00e701',
      is_enabled: fields.is_enabled ?? true,
      is_paused: false,
      is_user_input_required: fields.is_user_input_required ?? false,
      should_redemptions_skip_request_queue: fields.should_redemptions_skip_request_queue ?? false,
      broadcaster_user_id: userOf(token),
      app_id: token?.clientId ?? null,
      is_deleted: false,
    }
    state.rewards.set(reward.id, reward)
    return ok(rewardView(reward))
  },

  rewardsUpdate: (request, context, token) => {
    const reward = ownReward(context, request, token)
    Object.assign(reward, rewardFields(jsonBody(request), false))
    return ok(rewardView(reward))
  },

  rewardsDelete: (request, context, token) => {
    ownReward(context, request, token).is_deleted = true
    return noContent()
  },

  redemptionsList: (request, { state }, token) => {
    const query = request.query
    const ids = stringList(query, 'id')
    const rewardId = query.get('reward_id')
    const status = query.get('status')
    if (ids.length && (rewardId || status)) badRequest('id cannot be combined with other filters')
    if (ids.length > 25) badRequest('at most 25 ids per request')
    if (status && !['pending', 'accepted', 'rejected'].includes(status))
      badRequest('status must be pending, accepted or rejected')
    const matching = [...state.redemptions.values()]
      .filter(
        (r) =>
          r.broadcaster_user_id === userOf(token) &&
          (!ids.length || ids.includes(r.id)) &&
          (!rewardId || r.reward_id === rewardId) &&
          (!status || r.status === status),
      )
      .sort((a, b) => a.redeemed_at.localeCompare(b.redeemed_at) || a.id.localeCompare(b.id))
    const { data, pagination } = page(matching, query, 25)
    const groups = new Map<string, RedemptionGroup>()
    for (const redemption of data) {
      const reward = state.rewards.get(redemption.reward_id)!
      let group = groups.get(reward.id)
      if (!group) {
        group = {
          reward: {
            id: reward.id,
            title: reward.title,
            description: reward.description,
            cost: reward.cost,
            can_manage: reward.app_id === '*' || reward.app_id === token?.clientId,
            is_deleted: reward.is_deleted,
          },
          redemptions: [],
        }
        groups.set(reward.id, group)
      }
      group.redemptions.push(redemptionView(redemption))
    }
    return ok([...groups.values()], { pagination })
  },

  redemptionsAccept: decideRedemptions('accepted'),
  redemptionsReject: decideRedemptions('rejected'),
} satisfies Partial<Record<ApiEndpointId, Handler>>
