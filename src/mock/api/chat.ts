import { LIMITS } from '../../kick/limits.js'
import type { Handler } from '../context.js'
import { badRequest, jsonBody, noContent, notFound, ok } from '../http.js'
import { postChatMessage } from '../viewers.js'
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
    const replyTo = body.reply_to_message_id
    if (replyTo !== undefined && replyTo !== null && typeof replyTo !== 'string')
      badRequest('reply_to_message_id must be a string')
    const { message } = postChatMessage(state, webhooks, {
      broadcasterUserId: broadcaster,
      senderUserId: sender,
      type: body.type as 'user' | 'bot',
      content,
      replyTo: replyTo ?? undefined,
    })
    return ok({ is_sent: true, message_id: message.message_id })
  },

  chatDelete: (request, { state }) => {
    const message = state.messages.get(request.params.message_id ?? '')
    if (!message || message.deleted) notFound('message')
    message.deleted = true
    return noContent()
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>
