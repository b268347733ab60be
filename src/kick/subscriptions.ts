import type { KickClient } from './client.js'
import type { AccessToken } from './token-provider.js'
import type { SubscribeResult, Subscription } from './types.js'

/**
 * Webhook subscriptions as Kick really keeps them. Since 2026-06 Kick answers `POST
 * /public/v1/events/subscriptions` with 200 and an id for subscriptions it then does not keep (KDD#419): they
 * are missing from its own listing, and their events never arrive. The only proof of a subscription is the
 * listing, so the commands that create one read it back.
 */

/** POST /public/v1/events/subscriptions: one result per event, each with an id or its own `error`. */
export async function createSubscriptions(
  client: KickClient,
  events: readonly string[],
  options: { version?: number; broadcasterUserId?: number } = {},
): Promise<SubscribeResult[]> {
  const { data } = await client.call<SubscribeResult[]>('eventsSubscribe', {
    body: {
      method: 'webhook',
      events: events.map((name) => ({ name, version: options.version ?? 1 })),
      broadcaster_user_id: options.broadcasterUserId,
    },
  })
  return Array.isArray(data) ? data : []
}

/**
 * The subscriptions as Kick lists them (GET /public/v1/events/subscriptions): the app's, or with a user
 * `token` that user's channel's.
 */
export async function listSubscriptions(client: KickClient, token?: AccessToken): Promise<Subscription[]> {
  const { data } = await client.call<Subscription[]>('eventsList', { token })
  return Array.isArray(data) ? data : []
}

/** The results Kick answered with an id and no error: the subscriptions it says it created. */
export function createdSubscriptions(results: readonly SubscribeResult[]): SubscribeResult[] {
  return results.filter((result) => result.subscription_id && !result.error)
}

/** The results Kick answered with an id but does not list right after: the subscriptions it did not keep. */
export async function subscriptionsNotKept(
  client: KickClient,
  results: readonly SubscribeResult[],
): Promise<SubscribeResult[]> {
  const created = createdSubscriptions(results)
  if (!created.length) return []
  const listed = new Set((await listSubscriptions(client)).map((subscription) => subscription.id))
  return created.filter((result) => !listed.has(result.subscription_id!))
}

/** The stderr line for one subscription Kick did not keep: its type and id, and what happened. */
export function notKeptLine(result: SubscribeResult): string {
  return (
    `Kick did not keep the ${result.name} subscription ${result.subscription_id}: it answered 200 but does not ` +
    'list it, so its events will not arrive'
  )
}

/** The error after those lines: how many, and what to do. */
export function notKeptMessage(notKept: number, of: number): string {
  return (
    `Kick did not keep ${notKept} of ${of} subscription${of === 1 ? '' : 's'} it answered 200 for (a known Kick ` +
    'bug, KDD#419): subscribe again, and check with `kick events list`'
  )
}
