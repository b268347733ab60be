import { randomUUID } from 'node:crypto'

import type { EndpointId } from '../kick/endpoints.js'
import { EVENT_TYPES, isEventType, ulid } from '../kick/events.js'
import { codePointLength, LIMITS } from '../kick/limits.js'
import type { FailedRedemption, RedemptionGroup, Reward, SubscribeResult } from '../kick/types.js'
import type { Handler, MockContext } from './context.js'
import { bannedPayload, chatMessagePayload, metadataPayload, redemptionPayload } from './event-payloads.js'
import {
  badRequest,
  jsonBody,
  type MockRequest,
  noContent,
  notFound,
  ok,
  ReplyError,
  apiError,
} from './http.js'
import type { oauthHandlers } from './oauth.js'
import { isoSeconds } from './seed.js'
import type {
  MockCategory,
  MockChannel,
  MockChatMessage,
  MockRedemption,
  MockReward,
  MockState,
} from './state.js'
import type { AccessTokenRecord } from './tokens.js'

/**
 * Kick's API endpoints (REFERENCE.md §2), one handler per id of the endpoint table. The router finds the id
 * with `matchEndpoint` and has already checked the bearer token and scopes, so a handler only deals with
 * parameters, state and the answer's shape.
 */

type ApiEndpointId = Exclude<EndpointId, keyof typeof oauthHandlers>

// ---------- parameters ----------

/** Integers from repeated keys and comma-separated values (`?id=1&id=2`, `?id=1,2`); 400 on anything else. */
function intList(query: URLSearchParams, key: string): number[] {
  return query
    .getAll(key)
    .flatMap((value) => value.split(','))
    .filter((value) => value !== '')
    .map((value) => {
      if (!/^\d+$/.test(value)) badRequest(`${key} must be an integer, got "${value}"`)
      return Number(value)
    })
}

function stringList(query: URLSearchParams, key: string): string[] {
  return query
    .getAll(key)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean)
}

function intParam(query: URLSearchParams, key: string, min: number, max: number, fallback: number): number {
  const value = query.get(key)
  if (value === null || value === '') return fallback
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max)
    badRequest(`${key} must be an integer from ${min} to ${max}`)
  return n
}

function isInt(value: unknown, min = 1): value is number {
  return Number.isInteger(value) && (value as number) >= min
}

function checkText(name: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') badRequest(`${name} must be a string`)
  const length = codePointLength(value)
  if (!allowEmpty && length === 0) badRequest(`${name} must not be empty`)
  if (length > max) badRequest(`${name} must be at most ${max} characters`)
  return value
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') badRequest(`${name} must be a boolean`)
  return value
}

// ---------- cursor pagination ----------

/** Kick's cursors look like base64 of `{"c_cursor":10}` (an offset); clients must treat them as opaque. */
const encodeCursor = (offset: number): string =>
  Buffer.from(JSON.stringify({ c_cursor: offset })).toString('base64')

function decodeCursor(value: string | null): number {
  if (!value) return 0
  try {
    const offset = (JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { c_cursor?: unknown })
      .c_cursor
    if (isInt(offset, 0)) return offset
  } catch {
    // fall through to the 400
  }
  badRequest('cursor is not valid')
}

/** One page and the envelope's `pagination`; the last page has an empty `next_cursor`. */
function page<T>(
  items: T[],
  query: URLSearchParams,
  limit: number,
): { data: T[]; pagination: { next_cursor: string } } {
  const offset = decodeCursor(query.get('cursor'))
  const data = items.slice(offset, offset + limit)
  const next = offset + limit < items.length ? encodeCursor(offset + limit) : ''
  return { data, pagination: { next_cursor: next } }
}

// ---------- shapes ----------

function userOf(token: AccessTokenRecord | undefined): number {
  // the router lets only user tokens through to these handlers
  return token?.userId ?? 0
}

function categoryBrief(state: MockState, id: number): { id: number; name: string; thumbnail: string } {
  const category = state.category(id)
  return { id: category?.id ?? 0, name: category?.name ?? '', thumbnail: category?.thumbnail ?? '' }
}

function channelView(state: MockState, channel: MockChannel, token: AccessTokenRecord | undefined) {
  const own = token?.kind === 'user' && token.userId === channel.broadcaster_user_id
  const streamKey = own && token.scopes.includes('streamkey:read')
  return {
    banner_picture: channel.banner_picture,
    broadcaster_user_id: channel.broadcaster_user_id,
    category: categoryBrief(state, channel.category_id),
    channel_description: channel.channel_description,
    slug: channel.slug,
    stream: {
      url: streamKey ? channel.stream_url : '',
      key: streamKey ? channel.stream_key : '',
      is_live: channel.is_live,
      is_mature: channel.is_mature,
      language: channel.language,
      start_time: channel.started_at,
      viewer_count: channel.viewer_count,
      thumbnail: channel.thumbnail,
      custom_tags: channel.custom_tags,
    },
    stream_title: channel.stream_title,
    // subscriber counts only for the owner's own channel (REFERENCE §2.2, uncertain)
    ...(own
      ? {
          active_subscribers_count: channel.active_subscribers_count,
          canceled_subscribers_count: channel.canceled_subscribers_count,
        }
      : {}),
  }
}

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

function livestreamV1(state: MockState, channel: MockChannel) {
  return {
    broadcaster_user_id: channel.broadcaster_user_id,
    category: categoryBrief(state, channel.category_id),
    channel_id: channel.broadcaster_user_id,
    custom_tags: channel.custom_tags,
    has_mature_content: channel.is_mature,
    language: channel.language,
    profile_picture: state.user(channel.broadcaster_user_id)?.profile_picture ?? '',
    slug: channel.slug,
    started_at: channel.started_at,
    stream_title: channel.stream_title,
    thumbnail: channel.thumbnail,
    viewer_count: channel.viewer_count,
  }
}

function livestreamV2(state: MockState, channel: MockChannel) {
  const user = state.user(channel.broadcaster_user_id)
  return {
    id: String(channel.livestream_id),
    title: channel.stream_title,
    thumbnail: channel.thumbnail,
    viewer_count: channel.viewer_count,
    started_at: channel.started_at,
    language_code: channel.language,
    has_mature_content: channel.is_mature,
    tags: channel.custom_tags,
    category: categoryBrief(state, channel.category_id),
    broadcaster_user: {
      id: channel.broadcaster_user_id,
      username: user?.name ?? channel.slug,
      profile_picture: user?.profile_picture ?? '',
    },
    channel: { slug: channel.slug },
  }
}

function categoryViewers(state: MockState, category: MockCategory): number {
  return state
    .liveChannels()
    .reduce((sum, c) => sum + (c.category_id === category.id ? c.viewer_count : 0), 0)
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

// ---------- handlers ----------

export const apiHandlers: Record<ApiEndpointId, Handler> = {
  usersGet: (request, { state }, token) => {
    const ids = intList(request.query, 'id')
    const wanted = ids.length ? ids : token?.kind === 'user' ? [userOf(token)] : []
    return ok(
      wanted.flatMap((id) => {
        const user = state.user(id)
        if (!user) return []
        // the email address only for the token's own user
        const email = token?.kind === 'user' && token.userId === id ? user.email : ''
        return [{ user_id: user.user_id, name: user.name, email, profile_picture: user.profile_picture }]
      }),
    )
  },

  channelsGet: (request, { state }, token) => {
    const slugs = stringList(request.query, 'slug')
    const ids = intList(request.query, 'broadcaster_user_id')
    if (slugs.length && ids.length) badRequest('give slug or broadcaster_user_id, not both')
    if (slugs.length > 50 || ids.length > 50) badRequest('at most 50 slugs or broadcaster ids per request')
    const long = slugs.find((slug) => slug.length > LIMITS.channelSlugLength)
    if (long) badRequest(`slug must be at most ${LIMITS.channelSlugLength} characters`)
    let found: MockChannel[]
    if (slugs.length) {
      const bySlug = new Map(
        [...state.channels.values()].map((channel) => [channel.slug.toLowerCase(), channel]),
      )
      found = slugs.flatMap((slug) => bySlug.get(slug.toLowerCase()) ?? [])
    } else {
      const wanted = ids.length ? ids : token?.kind === 'user' ? [userOf(token)] : []
      found = wanted.flatMap((id) => state.channels.get(id) ?? [])
    }
    // unknown channels are simply missing: 200 with what exists (KDD#231)
    return ok(found.map((channel) => channelView(state, channel, token)))
  },

  channelsUpdate: (request, { state, webhooks }, token) => {
    const body = jsonBody(request)
    const channel = state.channels.get(userOf(token))
    if (!channel) notFound('channel')
    const unknown = Object.keys(body).filter(
      (key) => !['category_id', 'stream_title', 'custom_tags'].includes(key),
    )
    if (unknown.length) badRequest(`unknown field ${unknown.join(', ')}`)
    if (Object.keys(body).length === 0)
      badRequest('give at least one of category_id, stream_title, custom_tags')
    if (body.category_id !== undefined && !(isInt(body.category_id) && state.category(body.category_id)))
      badRequest('category_id is not a known category')
    const title =
      body.stream_title !== undefined ? checkText('stream_title', body.stream_title, 140) : undefined
    const tags = body.custom_tags
    if (
      tags !== undefined &&
      !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string' && tag !== ''))
    )
      badRequest('custom_tags must be a list of non-empty strings')
    if (body.category_id !== undefined) channel.category_id = body.category_id as number
    if (title !== undefined) channel.stream_title = title
    if (tags !== undefined) channel.custom_tags = [...(tags as string[])]
    webhooks.emit('livestream.metadata.updated', channel.broadcaster_user_id, metadataPayload(state, channel))
    return noContent()
  },

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

  chatSend: (request, { state, webhooks }, token) => {
    const body = jsonBody(request)
    if (body.type !== 'user' && body.type !== 'bot') badRequest('type must be user or bot')
    const content = checkText('content', body.content, LIMITS.chatMessageLength)
    const sender = userOf(token)
    let broadcaster: number
    if (body.type === 'bot') {
      // "As a bot, the message will always be sent to the channel attached to your token"
      broadcaster = sender
    } else {
      if (!isInt(body.broadcaster_user_id)) badRequest('broadcaster_user_id is required for type user')
      broadcaster = body.broadcaster_user_id
    }
    if (!state.channels.has(broadcaster)) badRequest('broadcaster_user_id is not a known channel')
    const replyTo = body.reply_to_message_id
    if (replyTo !== undefined && replyTo !== null && typeof replyTo !== 'string')
      badRequest('reply_to_message_id must be a string')
    if (state.activeBan(broadcaster, sender)) badRequest('the sender is banned in this channel')
    const message: MockChatMessage = {
      message_id: randomUUID(),
      broadcaster_user_id: broadcaster,
      sender_user_id: sender,
      type: body.type as 'user' | 'bot',
      content,
      created_at: new Date().toISOString(),
      reply_to_message_id: typeof replyTo === 'string' && replyTo !== '' ? replyTo : null,
      deleted: false,
    }
    state.messages.set(message.message_id, message)
    webhooks.emit('chat.message.sent', broadcaster, chatMessagePayload(state, message))
    return ok({ is_sent: true, message_id: message.message_id })
  },

  chatDelete: (request, { state }) => {
    const message = state.messages.get(request.params.message_id ?? '')
    if (!message || message.deleted) notFound('message')
    message.deleted = true
    return noContent()
  },

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

  livestreamsList: (request, { state }) => {
    const query = request.query
    const categories = intList(query, 'category_id')
    const languages = stringList(query, 'language_code')
    const limit = intParam(query, 'limit', 1, 100, 25)
    const live = state
      .liveChannels()
      .filter(
        (c) =>
          (!categories.length || categories.includes(c.category_id)) &&
          (!languages.length || languages.includes(c.language)),
      )
    const { data, pagination } = page(live, query, limit)
    return ok(
      data.map((channel) => livestreamV2(state, channel)),
      { pagination },
    )
  },

  livestreamsListV1: (request, { state }) => {
    const query = request.query
    const broadcasters = intList(query, 'broadcaster_user_id')
    const category = query.get('category_id') ? intList(query, 'category_id')[0] : undefined
    const language = query.get('language')
    const limit = intParam(query, 'limit', 1, 100, 25)
    const sort = query.get('sort') ?? 'viewer_count'
    if (sort !== 'viewer_count' && sort !== 'started_at')
      badRequest('sort must be viewer_count or started_at')
    const live = state
      .liveChannels()
      .filter(
        (c) =>
          (!broadcasters.length || broadcasters.includes(c.broadcaster_user_id)) &&
          (category === undefined || c.category_id === category) &&
          (!language || c.language === language),
      )
      .sort((a, b) =>
        sort === 'viewer_count' ? b.viewer_count - a.viewer_count : b.started_at.localeCompare(a.started_at),
      )
    return ok(live.slice(0, limit).map((channel) => livestreamV1(state, channel)))
  },

  livestreamsStats: (_request, { state }) => ok({ total_count: state.liveChannels().length }),

  kicksLeaderboard: (request, { state }, token) => {
    const top = intParam(request.query, 'top', 1, 100, 10)
    const board = state.leaderboards.get(userOf(token))
    return ok({
      lifetime: board?.lifetime.slice(0, top) ?? [],
      month: board?.month.slice(0, top) ?? [],
      week: board?.week.slice(0, top) ?? [],
    })
  },

  categoriesList: (request, { state }) => {
    const query = request.query
    const names = stringList(query, 'name').map((name) => name.toLowerCase())
    const tags = stringList(query, 'tag')
    const ids = intList(query, 'id')
    const limit = intParam(query, 'limit', 1, 1000, 25)
    const matching = [...state.categories.values()].filter(
      (c) =>
        (!names.length || names.some((name) => c.name.toLowerCase().includes(name))) &&
        (!tags.length || tags.some((tag) => c.tags.includes(tag))) &&
        (!ids.length || ids.includes(c.id)),
    )
    const { data, pagination } = page(matching, query, limit)
    return ok(
      data.map(({ id, name, tags, thumbnail }) => ({ id, name, tags, thumbnail })),
      { pagination },
    )
  },

  categoriesSearch: (request, { state }) => {
    const q = (request.query.get('q') ?? '').trim().toLowerCase()
    if (!q) badRequest('q is required')
    const pageNumber = intParam(request.query, 'page', 1, 10_000, 1)
    const size = 25
    const matching = [...state.categories.values()].filter((c) => c.name.toLowerCase().includes(q))
    return ok(
      matching
        .slice((pageNumber - 1) * size, pageNumber * size)
        .map(({ id, name, thumbnail }) => ({ id, name, thumbnail })),
    )
  },

  categoriesGet: (request, { state }) => {
    const id = request.params.category_id ?? ''
    if (!/^\d+$/.test(id)) badRequest('category_id must be an integer')
    const category = state.category(Number(id))
    if (!category) notFound('category')
    return ok({
      id: category.id,
      name: category.name,
      tags: category.tags,
      thumbnail: category.thumbnail,
      viewer_count: categoryViewers(state, category),
    })
  },

  publicKey: (_request, context) => ok({ public_key: context.devKey.publicKeyPem }),

  eventsList: (request, { state }, token) => {
    const filter = intList(request.query, 'broadcaster_user_id')[0]
    return ok(
      [...state.subscriptions.values()].filter(
        (sub) =>
          sub.app_id === token?.clientId &&
          (token.kind === 'app' || sub.broadcaster_user_id === token.userId) &&
          (filter === undefined || sub.broadcaster_user_id === filter),
      ),
    )
  },

  eventsSubscribe: (request, { state }, token) => {
    const body = jsonBody(request)
    if (body.method !== 'webhook') badRequest('method must be webhook')
    const events = body.events
    if (!Array.isArray(events) || events.length === 0)
      badRequest('events must be a non-empty list of {name, version}')
    let broadcaster: number
    if (token?.kind === 'user') {
      // with a user token the broadcaster is the token's user; a body value is ignored, as on Kick
      broadcaster = userOf(token)
    } else {
      if (!isInt(body.broadcaster_user_id)) badRequest('broadcaster_user_id is required with an app token')
      broadcaster = body.broadcaster_user_id
    }
    if (!state.channels.has(broadcaster)) badRequest('broadcaster_user_id is not a known channel')
    const results = (events as unknown[]).map((event): SubscribeResult => {
      const { name, version } = (event ?? {}) as { name?: unknown; version?: unknown }
      const result = { name: String(name), version: Number(version) }
      if (typeof name !== 'string' || !isEventType(name))
        return { ...result, error: `unknown event; one of ${EVENT_TYPES.join(', ')}` }
      if (version !== 1) return { ...result, error: 'unsupported version; all events are version 1' }
      const existing = [...state.subscriptions.values()].find(
        (sub) =>
          sub.app_id === token?.clientId &&
          sub.broadcaster_user_id === broadcaster &&
          sub.event === name &&
          sub.version === version,
      )
      if (existing) return { ...result, subscription_id: existing.id }
      const now = isoSeconds(Date.now())
      const id = ulid()
      state.subscriptions.set(id, {
        app_id: token!.clientId,
        broadcaster_user_id: broadcaster,
        created_at: now,
        event: name,
        id,
        method: 'webhook',
        updated_at: now,
        version: 1,
      })
      return { ...result, subscription_id: id }
    })
    return ok(results)
  },

  eventsUnsubscribe: (request, { state }, token) => {
    const ids = stringList(request.query, 'id')
    if (ids.length === 0) badRequest('id is required (repeatable)')
    if (ids.length > 50) badRequest('at most 50 ids per request')
    for (const id of ids) {
      const sub = state.subscriptions.get(id)
      if (sub && sub.app_id === token?.clientId) state.subscriptions.delete(id)
    }
    return noContent()
  },

  dropsClaimsList: (request, { state }) => {
    const query = request.query
    const limit = intParam(query, 'limit', 1, 1000, 10)
    const userId = query.get('user_id') ? intList(query, 'user_id')[0] : undefined
    const matching = [...state.dropsClaims.values()].filter(
      (claim) =>
        (!query.get('campaign_id') || claim.campaign_id === query.get('campaign_id')) &&
        (userId === undefined || claim.user_id === userId) &&
        (!query.get('claim_id') || claim.claim_id === query.get('claim_id')) &&
        (!query.get('external_status') || claim.external_status === query.get('external_status')),
    )
    // the drops cursor is a claim id: the page starts after it, and `data.cursor` names the next one
    const cursor = query.get('cursor')
    let start = 0
    if (cursor) {
      const index = matching.findIndex((claim) => claim.claim_id === cursor)
      if (index < 0) badRequest('cursor is not a claim id of this listing')
      start = index + 1
    }
    const claims = matching.slice(start, start + limit)
    const more = start + limit < matching.length
    return ok({ claims, cursor: more ? claims[claims.length - 1]!.claim_id : null })
  },

  dropsClaimsUpdate: (request, { state }) => {
    const body = jsonBody(request)
    const claims = body.claims
    if (!Array.isArray(claims) || claims.length < 1 || claims.length > 100)
      badRequest('claims must be a list of 1 to 100 {claim_id, external_status}')
    const updates = (claims as unknown[]).map((item, i) => {
      const claim = (item ?? {}) as Record<string, unknown>
      const extra = Object.keys(claim).filter((key) => key !== 'claim_id' && key !== 'external_status')
      if (extra.length) badRequest(`claims[${i}] has unknown field ${extra.join(', ')}`)
      if (typeof claim.claim_id !== 'string' || !state.dropsClaims.has(claim.claim_id))
        badRequest(`claims[${i}].claim_id is not a known claim`)
      if (typeof claim.external_status !== 'string' || claim.external_status === '')
        badRequest(`claims[${i}].external_status must be a non-empty string`)
      return claim as { claim_id: string; external_status: string }
    })
    const now = isoSeconds(Date.now())
    for (const update of updates) {
      const claim = state.dropsClaims.get(update.claim_id)!
      claim.external_status = update.external_status
      claim.updated_at = now
    }
    return noContent()
  },
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

function removeBan(state: MockState, broadcasterUserId: number, userId: number): void {
  for (let i = state.bans.length - 1; i >= 0; i--) {
    const ban = state.bans[i]!
    if (ban.broadcaster_user_id === broadcasterUserId && ban.user_id === userId) state.bans.splice(i, 1)
  }
}
