import { EVENT_TYPES, isEventType, ulid } from '../../kick/events.js'
import type { SubscribeResult } from '../../kick/types.js'
import type { Handler } from '../context.js'
import { badRequest, jsonBody, noContent, ok } from '../http.js'
import { isoSeconds } from '../seed.js'
import { type ApiEndpointId, intList, isInt, stringList, userOf } from './params.js'

/** Webhook event subscriptions and the public key their signatures verify against. */

export const eventsHandlers = {
  // the PEM as Kick serves it: no line break after END PUBLIC KEY (450 characters for a 2048-bit key)
  publicKey: (_request, context) => ok({ public_key: context.devKey.publicKeyPem.trimEnd() }),

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

  eventsSubscribe: (request, { state, faults }, token) => {
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
      // Kick's 200 for a subscription it then does not keep (KDD#419): the id is answered, never listed
      if (faults.happens('subscriptions-not-kept')) return { ...result, subscription_id: id }
      const record = {
        app_id: token!.clientId,
        broadcaster_user_id: broadcaster,
        created_at: now,
        event: name,
        id,
        method: 'webhook' as const,
        updated_at: now,
        version: 1,
      }
      state.subscriptions.set(id, record)
      // Kick under load: the same subscription kept twice, under a second id nobody was told about
      if (faults.happens('subscriptions-duplicated')) {
        const twin = ulid()
        state.subscriptions.set(twin, { ...record, id: twin })
      }
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
} satisfies Partial<Record<ApiEndpointId, Handler>>
