import { samplePayload } from '../kick/events.js'
import type { MockBan, MockChannel, MockChatMessage, MockRedemption, MockReward, MockState } from './state.js'
import { webhookUser } from './webhooks.js'

/**
 * Webhook payloads for what API calls did, built on the documented samples (so every field Kick sends is
 * there) with the mock's own users, channels and values filled in.
 */

type Payload = Record<string, unknown>

const template = (payload: Payload, key: string): Record<string, unknown> =>
  payload[key] as Record<string, unknown>

/** `[emote:ID:NAME]` tokens in a message, with the code-unit positions Kick reports (end inclusive). */
function emotesOf(content: string): { emote_id: string; positions: { s: number; e: number }[] }[] | null {
  const found = new Map<string, { s: number; e: number }[]>()
  for (const match of content.matchAll(/\[emote:(\d+):[^\]]+\]/g)) {
    const positions = found.get(match[1]!) ?? []
    positions.push({ s: match.index, e: match.index + match[0].length - 1 })
    found.set(match[1]!, positions)
  }
  return found.size ? [...found].map(([emote_id, positions]) => ({ emote_id, positions })) : null
}

export function chatMessagePayload(state: MockState, message: MockChatMessage): Payload {
  const payload = samplePayload('chat.message.sent')
  const user = template(payload, 'sender')
  const parent = message.reply_to_message_id ? state.messages.get(message.reply_to_message_id) : undefined
  return {
    message_id: message.message_id,
    replies_to: parent
      ? {
          message_id: parent.message_id,
          content: parent.content,
          sender: webhookUser(state, parent.sender_user_id, template(payload, 'broadcaster')),
        }
      : null,
    broadcaster: webhookUser(state, message.broadcaster_user_id, template(payload, 'broadcaster')),
    sender: {
      ...webhookUser(state, message.sender_user_id, user),
      // chatters carry a colour and badges; the broadcaster's own messages have the broadcaster badge
      identity: {
        username_color: '#1475E1',
        badges:
          message.sender_user_id === message.broadcaster_user_id
            ? [{ text: 'Broadcaster', type: 'broadcaster' }]
            : [],
      },
    },
    content: message.content,
    emotes: emotesOf(message.content),
    created_at: message.created_at,
  }
}

export function bannedPayload(state: MockState, ban: MockBan): Payload {
  const payload = samplePayload('moderation.banned')
  return {
    broadcaster: webhookUser(state, ban.broadcaster_user_id, template(payload, 'broadcaster')),
    moderator: webhookUser(state, ban.moderator_user_id, template(payload, 'moderator')),
    banned_user: webhookUser(state, ban.user_id, template(payload, 'banned_user')),
    metadata: { reason: ban.reason, created_at: ban.created_at, expires_at: ban.expires_at },
  }
}

export function metadataPayload(state: MockState, channel: MockChannel): Payload {
  const payload = samplePayload('livestream.metadata.updated')
  const category = state.category(channel.category_id)
  return {
    broadcaster: webhookUser(state, channel.broadcaster_user_id, template(payload, 'broadcaster')),
    metadata: {
      title: channel.stream_title,
      language: channel.language,
      has_mature_content: channel.is_mature,
      category: {
        id: category?.id ?? 0,
        name: category?.name ?? '',
        thumbnail: category?.thumbnail ?? '',
      },
    },
  }
}

export function redemptionPayload(state: MockState, redemption: MockRedemption, reward: MockReward): Payload {
  const payload = samplePayload('channel.reward.redemption.updated')
  return {
    id: redemption.id,
    user_input: redemption.user_input,
    status: redemption.status,
    redeemed_at: redemption.redeemed_at,
    reward: { id: reward.id, title: reward.title, cost: reward.cost, description: reward.description },
    redeemer: webhookUser(state, redemption.redeemer_user_id, template(payload, 'redeemer')),
    broadcaster: webhookUser(state, redemption.broadcaster_user_id, template(payload, 'broadcaster')),
  }
}
