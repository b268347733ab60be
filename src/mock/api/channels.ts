import { LIMITS } from '../../kick/limits.js'
import type { Handler } from '../context.js'
import { metadataPayload } from '../event-payloads.js'
import { badRequest, jsonBody, noContent, notFound, ok } from '../http.js'
import type { MockChannel, MockState } from '../state.js'
import type { AccessTokenRecord } from '../tokens.js'
import { type ApiEndpointId, checkText, intList, isInt, stringList, userOf } from './params.js'

export function categoryBrief(state: MockState, id: number): { id: number; name: string; thumbnail: string } {
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

export const channelsHandlers = {
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
      // an app token has no channel of its own: Kick's 400, word for word (KDD#140)
      if (!ids.length && token?.kind !== 'user') badRequest('broadcaster_user_id is required for app tokens')
      const wanted = ids.length ? ids : [userOf(token)]
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
} satisfies Partial<Record<ApiEndpointId, Handler>>
