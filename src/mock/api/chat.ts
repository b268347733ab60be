import { randomUUID } from 'node:crypto'

import { LIMITS } from '../../kick/limits.js'
import type { Handler } from '../context.js'
import { chatMessagePayload } from '../event-payloads.js'
import { badRequest, jsonBody, noContent, notFound, ok } from '../http.js'
import type { MockChatMessage } from '../state.js'
import { type ApiEndpointId, checkText, isInt, userOf } from './params.js'

export const chatHandlers = {
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
} satisfies Partial<Record<ApiEndpointId, Handler>>
