import { EVENT_SAMPLES } from './event-samples.js'

/** The 10 webhook event types Kick delivers (all version 1), REFERENCE.md §3. */
export const EVENT_TYPES = [
  'chat.message.sent',
  'channel.followed',
  'channel.subscription.renewal',
  'channel.subscription.gifts',
  'channel.subscription.new',
  'channel.reward.redemption.updated',
  'livestream.status.updated',
  'livestream.metadata.updated',
  'moderation.banned',
  'kicks.gifted',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export function isEventType(name: string): name is EventType {
  return (EVENT_TYPES as readonly string[]).includes(name)
}

/** The six headers on every delivery. Node lower-cases incoming header names; these are how Kick sends them. */
export const EVENT_HEADERS = {
  messageId: 'Kick-Event-Message-Id',
  subscriptionId: 'Kick-Event-Subscription-Id',
  signature: 'Kick-Event-Signature',
  timestamp: 'Kick-Event-Message-Timestamp',
  type: 'Kick-Event-Type',
  version: 'Kick-Event-Version',
} as const

/** Drops claim deliveries use a smaller set with other spellings (REFERENCE.md §3). */
export const DROPS_HEADERS = {
  messageId: 'Kick-Event-Message-ID',
  timestamp: 'Kick-Event-Timestamp',
  signature: 'Kick-Event-Signature',
} as const

/** A fresh, mutable copy of an event's sample payload. */
export function samplePayload(type: EventType): Record<string, unknown> {
  return structuredClone(EVENT_SAMPLES[type]) as Record<string, unknown>
}

/**
 * Keys a path may never name: walking into them changes every object's prototype (`__proto__.x`) or a
 * constructor's (`constructor.prototype.x`), which would let a `--set` or a request to the mock reach far past
 * the payload.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** The error of a path that names `__proto__`, `constructor` or `prototype`; null when it names none. */
export function unsafePathError(path: string): string | null {
  const key = path.split('.').find((part) => PROTOTYPE_KEYS.has(part))
  return key === undefined ? null : `${key} may not appear in a path`
}

/**
 * Sets a dotted path (`gift.amount`) in a payload, creating the objects on the way. A scalar in the way is
 * replaced with `replaceScalars` (the mock takes overrides as given); otherwise it is an error, so a typo in
 * `kick trigger --set` is caught instead of clobbering a field. A path naming `__proto__`, `constructor` or
 * `prototype` is an error, and only the payload's own properties are walked (never an inherited one).
 */
export function setPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
  options: { replaceScalars?: boolean } = {},
): void {
  const unsafe = unsafePathError(path)
  if (unsafe) throw new Error(unsafe)
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined
    if (next === undefined || next === null || (typeof next !== 'object' && options.replaceScalars))
      node[key] = {}
    else if (typeof next !== 'object') throw new Error(`${key} is ${JSON.stringify(next)}, not an object`)
    node = node[key] as Record<string, unknown>
  }
  node[keys[keys.length - 1]!] = value
}

/** Whether a payload has the dotted path already (its own properties only). */
export function hasPath(target: Record<string, unknown>, path: string): boolean {
  let node: unknown = target
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false
    node = (node as Record<string, unknown>)[key]
  }
  return true
}

/** A ULID (26 chars of Crockford base32, time first), the form Kick uses for message and subscription ids. */
export function ulid(now = Date.now()): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  let time = ''
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = alphabet[rest % 32] + time
  let random = ''
  for (let i = 0; i < 16; i++) random += alphabet[Math.floor(Math.random() * 32)]
  return time + random
}

/** RFC 3339 without fractions, as Kick stamps `Kick-Event-Message-Timestamp`. */
export function eventTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
