import type { Handler } from '../context.js'
import { badRequest, ok } from '../http.js'
import type { MockChannel, MockState } from '../state.js'
import { categoryBrief } from './channels.js'
import { type ApiEndpointId, intList, intParam, page, stringList } from './params.js'

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

export const livestreamsHandlers = {
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
} satisfies Partial<Record<ApiEndpointId, Handler>>
