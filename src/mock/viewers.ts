import { randomUUID } from 'node:crypto'

import { ulid } from '../kick/events.js'
import { LIMITS } from '../kick/limits.js'
import { chatMessagePayload, redemptionPayload } from './event-payloads.js'
import { badRequest, notFound } from './http.js'
import { addUser, isoNanoseconds, isoSeconds } from './seed.js'
import type { MockChatMessage, MockRedemption, MockState, MockUser } from './state.js'
import type { WebhookDispatcher } from './webhooks.js'

/**
 * What happens in a channel: chat messages (a bot's through the API, a viewer's through `/mock/chat`) and
 * a viewer redeeming a reward (`/mock/redeem`). Both sides go through the same checks and deliver the same
 * events, so a bot sees its own messages as Kick shows them, and can tell them apart.
 */

/** The first viewer of the seeded world: who chats and redeems when no name is given. */
export const DEFAULT_VIEWER = 'chatter_one'

/** Kick usernames: letters, digits and underscores, up to 25 characters. */
const USERNAME = /^[A-Za-z0-9_]{1,25}$/

/** A viewer by name; a name the mock does not know becomes a new user, as a newcomer to the chat would. */
export function viewerNamed(state: MockState, name: string): MockUser {
  const known = state.userNamed(name)
  if (known) return known
  if (!USERNAME.test(name)) badRequest('user must be 1 to 25 letters, digits or underscores')
  const id = Math.max(300_000, ...state.users.keys()) + 1
  addUser(state, { user_id: id, name })
  return state.user(id)!
}

export interface ChatInput {
  broadcasterUserId: number
  senderUserId: number
  type: 'user' | 'bot'
  content: string
  replyTo?: string
}

/** A chat message in a channel, delivered as `chat.message.sent`; the number of deliveries queued with it. */
export function postChatMessage(
  state: MockState,
  webhooks: WebhookDispatcher,
  input: ChatInput,
): { message: MockChatMessage; deliveries: number } {
  if (!state.channels.has(input.broadcasterUserId)) badRequest('Channel not found')
  if (state.activeBan(input.broadcasterUserId, input.senderUserId))
    badRequest('the sender is banned in this channel')
  const message: MockChatMessage = {
    message_id: randomUUID(),
    broadcaster_user_id: input.broadcasterUserId,
    sender_user_id: input.senderUserId,
    type: input.type,
    content: input.content,
    created_at: isoNanoseconds(state.now()),
    reply_to_message_id: input.replyTo ? input.replyTo : null,
    deleted: false,
  }
  state.messages.set(message.message_id, message)
  const deliveries = webhooks.emit(
    'chat.message.sent',
    message.broadcaster_user_id,
    chatMessagePayload(state, message),
  )
  return { message, deliveries }
}

/**
 * A viewer redeems a reward: pending in the broadcaster's queue (accepted at once when the reward skips the
 * queue), delivered as `channel.reward.redemption.updated`. Channel points are not counted.
 */
export function redeemReward(
  state: MockState,
  webhooks: WebhookDispatcher,
  input: { rewardId: string; redeemer: MockUser; userInput: string },
): { redemption: MockRedemption; deliveries: number } {
  const reward = state.rewards.get(input.rewardId)
  if (!reward || reward.is_deleted) notFound('reward')
  if (!reward.is_enabled) badRequest('the reward is disabled')
  if (reward.is_paused) badRequest('the reward is paused')
  if (reward.is_user_input_required && input.userInput.trim() === '')
    badRequest('the reward asks the viewer for input')
  if (input.userInput.length > LIMITS.chatMessageLength)
    badRequest(`user_input must be at most ${LIMITS.chatMessageLength} characters`)
  if (input.redeemer.user_id === reward.broadcaster_user_id)
    badRequest('a broadcaster cannot redeem their own reward')
  const now = state.now()
  const redemption: MockRedemption = {
    id: ulid(now),
    reward_id: reward.id,
    broadcaster_user_id: reward.broadcaster_user_id,
    redeemer_user_id: input.redeemer.user_id,
    user_input: input.userInput,
    status: reward.should_redemptions_skip_request_queue ? 'accepted' : 'pending',
    redeemed_at: isoSeconds(now),
  }
  state.redemptions.set(redemption.id, redemption)
  const deliveries = webhooks.emit(
    'channel.reward.redemption.updated',
    reward.broadcaster_user_id,
    redemptionPayload(state, redemption, reward),
  )
  return { redemption, deliveries }
}
