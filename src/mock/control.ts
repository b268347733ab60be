import { type Scope, SCOPES } from '../kick/endpoints.js'
import { isEventType } from '../kick/events.js'
import { LIMITS } from '../kick/limits.js'
import { checkText } from './api/params.js'
import type { MockContext } from './context.js'
import {
  apiError,
  badRequestReply,
  mediaType,
  MOCK_HEADER,
  type MockRequest,
  type Reply,
  ReplyError,
} from './http.js'
import { DEFAULT_VIEWER, postChatMessage, redeemReward, viewerNamed } from './viewers.js'
import { triggeredPayload } from './webhooks.js'

/**
 * The mock's own routes, outside Kick's API, for tests in any language (the `kick mock …` commands call
 * them too). Every answer carries `x-kick-mock: 1`, so a client can tell the mock from something else
 * listening at KICK_API_URL.
 *
 * - `POST /mock/trigger/{event}` fires a sample event: `{"broadcaster_user_id": N, "set": {"a.b": value}}`
 * - `POST /mock/chat` a viewer's chat message: `{"content": "hi", "user": "NAME", "broadcaster_user_id": N,
 *   "reply_to_message_id": "…"}`
 * - `POST /mock/redeem` a viewer redeems a reward: `{"reward_id": "…", "user": "NAME", "user_input": "…"}`
 * - `POST /mock/clock` moves the mock's time forward (timeouts end): `{"advance_seconds": N}`
 * - `POST /mock/tokens` issues a token without the OAuth dance:
 *   `{"kind": "user"|"app", "scopes": [...], "user_id": N, "expires_in": S}`
 *
 * Bodies are optional where every field is; all fields are optional but `content` and `reward_id`. Every
 * POST must say `Content-Type: application/json` (415 otherwise, before its body is read): a web page can
 * send a `text/plain` or form POST to 127.0.0.1 without asking (no CORS preflight), but not a JSON one.
 */

export interface ControlServices {
  context: MockContext
  issueToken(options: {
    kind: 'user' | 'app'
    scopes?: Scope[]
    userId?: number
    expiresIn?: number
  }): unknown
}

type Fields = Record<string, unknown>

/** `data` of `POST /mock/chat`. */
export interface ViewerChatAnswer {
  message_id: string
  broadcaster_user_id: number
  sender: { user_id: number; username: string }
  content: string
  /** webhook deliveries queued: one per subscription to chat.message.sent for the channel */
  deliveries: number
}

/** `data` of `POST /mock/redeem`. */
export interface ViewerRedeemAnswer {
  id: string
  reward: { id: string; title: string }
  broadcaster_user_id: number
  redeemer: { user_id: number; username: string }
  user_input: string
  status: 'pending' | 'accepted' | 'rejected'
  redeemed_at: string
  /** webhook deliveries queued: one per subscription to channel.reward.redemption.updated */
  deliveries: number
}

/** `data` of `POST /mock/trigger/{event}`. */
export interface TriggerAnswer {
  event: string
  queued: true
}

const routes: Record<string, (fields: Fields, services: ControlServices) => Reply> = {
  '/mock/chat': chat,
  '/mock/redeem': redeem,
  '/mock/clock': clock,
  '/mock/tokens': tokens,
}

const TRIGGER = /^\/mock\/trigger\/([^/]+)$/

/**
 * What a `/mock/` request is answered before its body is read, when it is no call of a route: 404, 405, or
 * 415 for a body that is not declared JSON. Undefined when it is one.
 */
export function mockRefusal(
  method: string,
  path: string,
  contentType: string | undefined,
): Reply | undefined {
  const refusal = !(TRIGGER.test(path) || Object.hasOwn(routes, path))
    ? apiError(404, 'Not Found')
    : method !== 'POST'
      ? apiError(405, 'Method Not Allowed')
      : mediaType(contentType) !== 'application/json'
        ? apiError(415, 'Unsupported Media Type: the mock routes take Content-Type: application/json')
        : undefined
  return refusal && marked(refusal)
}

export function mockControl(request: MockRequest, services: ControlServices): Reply {
  return marked(answer(request, services))
}

const marked = (reply: Reply): Reply => ({ ...reply, headers: { ...reply.headers, [MOCK_HEADER]: '1' } })

function answer(request: MockRequest, services: ControlServices): Reply {
  const refusal = mockRefusal(request.method, request.path, request.headers['content-type'])
  if (refusal) return refusal
  const trigger = TRIGGER.exec(request.path)
  const handler = trigger ? undefined : routes[request.path]
  const body = request.body.length ? parseJson(request.body) : {}
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return badRequestReply('the body must be a JSON object')
  try {
    return trigger ? fire(trigger[1]!, body as Fields, services) : handler!(body as Fields, services)
  } catch (error) {
    if (error instanceof ReplyError) return error.reply
    throw error
  }
}

function fire(encodedEvent: string, fields: Fields, { context }: ControlServices): Reply {
  let event: string
  try {
    event = decodeURIComponent(encodedEvent)
  } catch {
    return badRequestReply('the path has malformed percent-encoding')
  }
  if (!isEventType(event)) return apiError(404, `Not Found: unknown event type ${event}`)
  if (!context.webhooks.url)
    return apiError(409, 'Conflict: no webhook URL, start the mock with --webhook-url URL')
  const broadcaster = fields.broadcaster_user_id ?? context.state.loginUserId
  if (!Number.isInteger(broadcaster)) return badRequestReply('broadcaster_user_id must be an integer')
  const set = fields.set ?? {}
  if (typeof set !== 'object' || set === null || Array.isArray(set))
    return badRequestReply('set must be an object of path: value')
  let payload: Record<string, unknown>
  try {
    payload = triggeredPayload(context.state, event, broadcaster as number, set as Record<string, unknown>)
  } catch (error) {
    return badRequestReply(`set: ${(error as Error).message}`)
  }
  // answered at once; the delivery (and its retries) goes on in the background
  const deliveries = context.webhooks.fire(event, broadcaster as number, payload)
  void deliveries.catch(() => undefined)
  const data: TriggerAnswer = { event, queued: true }
  return { status: 202, json: { data, message: 'OK' } }
}

function chat(fields: Fields, { context }: ControlServices): Reply {
  const { state, webhooks } = context
  const content = checkText('content', fields.content, LIMITS.chatMessageLength)
  const sender = viewerNamed(state, optionalString(fields, 'user') ?? DEFAULT_VIEWER)
  const broadcaster = optionalInteger(fields, 'broadcaster_user_id') ?? state.loginUserId
  const replyTo = optionalString(fields, 'reply_to_message_id')
  const { message, deliveries } = postChatMessage(state, webhooks, {
    broadcasterUserId: broadcaster,
    senderUserId: sender.user_id,
    type: 'user',
    content,
    replyTo,
  })
  const data: ViewerChatAnswer = {
    message_id: message.message_id,
    broadcaster_user_id: broadcaster,
    sender: { user_id: sender.user_id, username: sender.name },
    content: message.content,
    deliveries,
  }
  return { status: 200, json: { data, message: 'OK' } }
}

function redeem(fields: Fields, { context }: ControlServices): Reply {
  const { state, webhooks } = context
  const rewardId = optionalString(fields, 'reward_id')
  if (!rewardId) return badRequestReply('reward_id is required')
  const redeemer = viewerNamed(state, optionalString(fields, 'user') ?? DEFAULT_VIEWER)
  const userInput = optionalString(fields, 'user_input') ?? ''
  const { redemption, deliveries } = redeemReward(state, webhooks, { rewardId, redeemer, userInput })
  const data: ViewerRedeemAnswer = {
    id: redemption.id,
    reward: { id: rewardId, title: state.rewards.get(rewardId)!.title },
    broadcaster_user_id: redemption.broadcaster_user_id,
    redeemer: { user_id: redeemer.user_id, username: redeemer.name },
    user_input: redemption.user_input,
    status: redemption.status,
    redeemed_at: redemption.redeemed_at,
    deliveries,
  }
  return { status: 200, json: { data, message: 'OK' } }
}

const MAX_ADVANCE_SECONDS = 366 * 86_400

function clock(fields: Fields, { context }: ControlServices): Reply {
  const seconds = fields.advance_seconds
  if (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > MAX_ADVANCE_SECONDS)
    return badRequestReply(`advance_seconds must be an integer from 0 to ${MAX_ADVANCE_SECONDS}`)
  const { state } = context
  state.clockOffsetMs += (seconds as number) * 1000
  return {
    status: 200,
    json: {
      data: { now: new Date(state.now()).toISOString(), offset_seconds: state.clockOffsetMs / 1000 },
      message: 'OK',
    },
  }
}

function tokens(fields: Fields, services: ControlServices): Reply {
  const { context } = services
  const kind = fields.kind ?? 'user'
  if (kind !== 'user' && kind !== 'app') return badRequestReply('kind must be user or app')
  const scopes = fields.scopes
  if (
    scopes !== undefined &&
    !(Array.isArray(scopes) && scopes.every((s) => (SCOPES as readonly unknown[]).includes(s)))
  )
    return badRequestReply(`scopes must be a list of ${SCOPES.join(', ')}`)
  const userId = fields.user_id
  if (userId !== undefined && !context.state.users.has(userId as number))
    return badRequestReply('user_id is not a known user')
  const expiresIn = fields.expires_in
  if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && (expiresIn as number) > 0))
    return badRequestReply('expires_in must be a positive integer')
  const grant = services.issueToken({
    kind,
    scopes: scopes as Scope[] | undefined,
    userId: userId as number | undefined,
    expiresIn: expiresIn as number | undefined,
  })
  return { status: 200, json: grant, headers: { 'cache-control': 'no-store' } }
}

function optionalString(fields: Fields, key: string): string | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new ReplyError(badRequestReply(`${key} must be a string`))
  return value
}

function optionalInteger(fields: Fields, key: string): number | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new ReplyError(badRequestReply(`${key} must be a positive integer`))
  return value as number
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
