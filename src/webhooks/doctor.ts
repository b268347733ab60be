import { EVENT_TYPES, type EventType, isEventType } from '../kick/events.js'
import type { AccessToken } from '../kick/token-provider.js'
import { loginCommand } from '../kick/token-provider.js'
import type { Subscription } from '../kick/types.js'
import { loadDevKey } from './dev-key.js'
import { postDelivery, samplePayloadFor, signedDelivery, type TriggerResult } from './trigger.js'

/**
 * `kick events doctor`: why webhooks do not arrive, one check at a time, each saying what to do when it
 * fails. Kick's own bugs are among the answers: subscriptions it lists twice or keeps in a shape no client
 * knows (an SDK in the wild takes duplicates as "Kick is broken"), and a webhook URL Kick's API cannot read.
 */

export type CheckName = 'app-token' | 'scopes' | 'subscriptions' | 'webhook-url'

export interface DoctorCheck {
  check: CheckName
  ok: boolean
  /** what was found */
  detail: string
  /** what to do about it, when it failed */
  fix?: string
}

/** What the checks need, handed in by the command: the token sources, Kick's calls, the test delivery. */
export interface DoctorDeps {
  profile: string
  /** an app access token from the client credentials */
  appToken: () => Promise<AccessToken>
  /** the token `kick events subscribe` would use (a user login, KICK_ACCESS_TOKEN, or the app token) */
  subscribeToken: () => Promise<AccessToken>
  /** POST /oauth/token/introspect of a token: whether it is active, and its scopes */
  introspect: (token: AccessToken) => Promise<{ active: boolean; scope?: string | null }>
  /** GET /public/v1/events/subscriptions with this token */
  list: (token: AccessToken) => Promise<Subscription[]>
  /** `--url`: POST a signed test delivery of this event type there */
  deliver?: (event: EventType) => Promise<TriggerResult>
}

const SCOPE = 'events:subscribe'

export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []
  let appToken: AccessToken | undefined
  try {
    appToken = await deps.appToken()
    checks.push({ check: 'app-token', ok: true, detail: 'the client credentials obtain an app token' })
  } catch (error) {
    checks.push({
      check: 'app-token',
      ok: false,
      detail: (error as Error).message,
      fix: "check the app's client id and secret (`kick config list`; `kick config set client-id|client-secret`)",
    })
  }

  let subscribeToken: AccessToken | undefined
  try {
    subscribeToken = await deps.subscribeToken()
    checks.push(await scopeCheck(deps, subscribeToken))
  } catch (error) {
    checks.push({
      check: 'scopes',
      ok: false,
      detail: `no token to subscribe with: ${(error as Error).message}`,
      fix: `run \`${loginCommand(deps.profile, [SCOPE])}\`, or set the app's client id and secret`,
    })
  }

  // the app's subscriptions are what an app token lists; a user token lists its own channel's
  const lister = appToken ?? subscribeToken
  let subscriptions: Subscription[] = []
  if (!lister) {
    checks.push({
      check: 'subscriptions',
      ok: false,
      detail: 'not checked: there is no token to list them with',
      fix: 'fix the checks above first',
    })
  } else {
    try {
      subscriptions = await deps.list(lister)
      checks.push(subscriptionsCheck(subscriptions))
    } catch (error) {
      checks.push({
        check: 'subscriptions',
        ok: false,
        detail: `Kick did not list them: ${(error as Error).message}`,
        fix: 'try again in a moment: `kick events list --verbose` shows the exchange',
      })
    }
  }

  if (deps.deliver) checks.push(await urlCheck(deps.deliver, subscriptions))
  return checks
}

async function scopeCheck(deps: DoctorDeps, token: AccessToken): Promise<DoctorCheck> {
  if (token.kind === 'app')
    return {
      check: 'scopes',
      ok: true,
      detail: 'nobody is logged in: subscriptions use the app token, which needs no scope',
    }
  const which = token.source === 'env' ? 'the token in KICK_ACCESS_TOKEN' : 'the logged-in user token'
  const relogin = `run \`${loginCommand(deps.profile, [...(token.scopes ?? []), SCOPE])}\``
  let scopes: string[]
  try {
    const found = await deps.introspect(token)
    if (!found.active)
      return {
        check: 'scopes',
        ok: false,
        detail: `Kick says ${which} is not active (expired or revoked)`,
        fix: token.source === 'env' ? 'set a valid KICK_ACCESS_TOKEN' : relogin,
      }
    scopes = (found.scope ?? '').split(/\s+/).filter(Boolean)
  } catch (error) {
    if (!token.scopes)
      return {
        check: 'scopes',
        ok: false,
        detail: `could not introspect ${which}: ${(error as Error).message}`,
        fix: 'try again in a moment',
      }
    // Kick's introspection failed: what the login stored is the next best answer
    scopes = [...token.scopes]
  }
  if (scopes.includes(SCOPE)) return { check: 'scopes', ok: true, detail: `${which} has ${SCOPE}` }
  return {
    check: 'scopes',
    ok: false,
    detail: `${which} lacks ${SCOPE} (it has ${scopes.join(', ') || 'no scope'})`,
    fix: token.source === 'env' ? `use a token with ${SCOPE}` : relogin,
  }
}

/**
 * Each subscription listed once: the same event, version and broadcaster under two ids (or one id twice) is a
 * duplicate; an entry with an event kick does not know, another method than webhook or no id is unknown.
 */
export function subscriptionsCheck(subscriptions: readonly Subscription[]): DoctorCheck {
  const problems: string[] = []
  const extra: string[] = []
  const groups = new Map<string, Subscription[]>()
  for (const subscription of subscriptions) {
    const unknown = unknownEntry(subscription)
    if (unknown) {
      problems.push(unknown)
      if (typeof subscription.id === 'string' && subscription.id) extra.push(subscription.id)
      continue
    }
    const key = `${subscription.event} v${subscription.version} of broadcaster ${subscription.broadcaster_user_id}`
    groups.set(key, [...(groups.get(key) ?? []), subscription])
  }
  for (const [key, group] of groups) {
    if (group.length < 2) continue
    const ids = group.map((subscription) => subscription.id)
    problems.push(`${key} is listed ${group.length} times (${ids.join(', ')})`)
    // keep the first listed, drop the rest (the same id listed twice needs no deletion)
    extra.push(...new Set(ids.slice(1).filter((id) => id !== ids[0])))
  }
  if (!problems.length) {
    const count = subscriptions.length
    return {
      check: 'subscriptions',
      ok: true,
      detail: count
        ? `${count} subscription${count === 1 ? '' : 's'}, each listed once`
        : 'no subscriptions yet (`kick events subscribe EVENT`)',
    }
  }
  return {
    check: 'subscriptions',
    ok: false,
    detail: problems.join('; '),
    fix: extra.length
      ? `delete the extra entries: \`kick events unsubscribe ${[...new Set(extra)].join(' ')}\`, then subscribe again if events are missing`
      : 'subscribe again if events are missing',
  }
}

function unknownEntry(subscription: Subscription): string | undefined {
  const record = subscription as unknown as Record<string, unknown>
  const id = typeof record.id === 'string' && record.id ? record.id : undefined
  const name = id ?? '(without an id)'
  if (!id) return `an entry without an id (event ${String(record.event)})`
  if (typeof record.event !== 'string' || !isEventType(record.event))
    return `unknown entry ${name}: event ${JSON.stringify(record.event)} is not one of Kick's event types`
  if (record.method !== 'webhook') return `unknown entry ${name}: method ${JSON.stringify(record.method)}`
  if (!Number.isInteger(record.version) || (record.version as number) < 1)
    return `unknown entry ${name}: version ${JSON.stringify(record.version)}`
  return undefined
}

async function urlCheck(
  deliver: (event: EventType) => Promise<TriggerResult>,
  subscriptions: readonly Subscription[],
): Promise<DoctorCheck> {
  const subscribed = subscriptions.map((subscription) => subscription.event).find(isEventType)
  const event: EventType = subscribed ?? EVENT_TYPES[0]
  let result: TriggerResult
  try {
    result = await deliver(event)
  } catch (error) {
    return {
      check: 'webhook-url',
      ok: false,
      detail: (error as Error).message,
      fix: "check that the URL is up and reachable from the internet, and set it as the app's Webhook URL",
    }
  }
  if (result.status >= 200 && result.status < 300)
    return {
      check: 'webhook-url',
      ok: true,
      detail: `answered ${result.status} to a signed ${event} test delivery`,
    }
  const refused = result.status === 401 || result.status === 403
  return {
    check: 'webhook-url',
    ok: false,
    detail: `answered ${result.status} to a signed ${event} test delivery`,
    fix: refused
      ? 'the test delivery is signed with the local development key: trust it while testing ' +
        '(`kick public-key --dev --pem`), or see why the endpoint refuses it'
      : 'a webhook endpoint answers 2xx to every delivery it takes, at once; see its logs',
  }
}

/** `--url`'s test delivery: the event's sample payload, signed with the local development key, POSTed to `url`. */
export async function deliverSample(url: string, event: EventType): Promise<TriggerResult> {
  const { privateKey } = await loadDevKey()
  const body = JSON.stringify(samplePayloadFor(event))
  return postDelivery(url, event, signedDelivery(privateKey, { type: event, body }))
}
