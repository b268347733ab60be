import type { KeyObject } from 'node:crypto'

import { DROPS_HEADERS, EVENT_HEADERS } from '../kick/events.js'
import { formatDuration } from './duration.js'
import { verifySignature } from './signature.js'

/** Header maps as they come: Node's (lower-cased, maybe repeated) or a saved file's (any casing). */
export type DeliveryHeaders = Record<string, string | readonly string[] | undefined>

/** What a drops claim delivery is called in our output: Kick sends it without a type header. */
export const DROPS_EVENT_TYPE = 'drops.claim'

/** A delivery whose signature, freshness and body checked out. */
export interface VerifiedDelivery {
  id: string
  /** null for drops deliveries, which carry no subscription */
  subscriptionId: string | null
  type: string
  /** the `Kick-Event-Version` header as a number when it is one; null for drops deliveries */
  version: number | string | null
  /** the timestamp header verbatim */
  timestamp: string
  payload: unknown
  /** the body as text, exactly as received (valid UTF-8 JSON) */
  bodyText: string
  /** which key verified it: Kick's (fetched, cached, documented, or --public-key-file) or the local dev key */
  key: 'kick' | 'dev'
}

/**
 * Why a delivery was turned away and what the listener answers: 400 when the request is not a delivery at
 * all (headers missing, timestamp or body unreadable), 401 when it does not prove it came from Kick now
 * (bad signature, or a valid signature on a timestamp outside the replay window: a replayed credential).
 */
export interface Rejection {
  status: 400 | 401
  reason: string
  /** the message id when the request carried one, for the log line */
  id?: string
}

export type Verification = { ok: true; delivery: VerifiedDelivery } | { ok: false; rejection: Rejection }

/** A public key and whose it is. */
export interface TrustedKey {
  key: KeyObject
  owner: 'kick' | 'dev'
}

export interface VerifyOptions {
  /** reject timestamps further than this from `now` (either way); 0 or undefined: no freshness check */
  maxAgeMs?: number
  now?: number
}

export const SIGNATURE_MISMATCH = 'signature does not match'

const lower = (name: string): string => name.toLowerCase()

/** Case-insensitive lookup; a repeated header counts as malformed (Kick sends each once). */
function headerReader(headers: DeliveryHeaders): (name: string) => string | undefined | null {
  // Node hands the listener lower-cased names, so a direct look-up nearly always hits; a saved delivery may
  // spell them any way, and then one lower-cased copy serves the rest.
  let byLowerName: Map<string, string | readonly string[] | undefined> | undefined
  return (name) => {
    const key = lower(name)
    let value = headers[key]
    if (value === undefined) {
      byLowerName ??= new Map(Object.entries(headers).map(([other, inner]) => [lower(other), inner]))
      value = byLowerName.get(key)
    }
    if (value === undefined) return undefined
    if (typeof value === 'string') return value
    return value.length === 1 ? value[0]! : null
  }
}

const EVENT_REQUIRED = [
  EVENT_HEADERS.messageId,
  EVENT_HEADERS.subscriptionId,
  EVENT_HEADERS.signature,
  EVENT_HEADERS.timestamp,
  EVENT_HEADERS.type,
  EVENT_HEADERS.version,
]
const DROPS_REQUIRED = [DROPS_HEADERS.messageId, DROPS_HEADERS.timestamp, DROPS_HEADERS.signature]

/** One decoder for every delivery (a non-streaming decode keeps no state between calls). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The one verification every webhook path uses (`kick listen`, `kick webhook verify`): the Kick headers (or
 * the drops spellings), RSA PKCS#1 v1.5 / SHA-256 over `id.timestamp.rawBody` with the raw bytes exactly as
 * received, the replay window, then the body as UTF-8 JSON. Dedupe by id is the caller's (it needs memory).
 */
export function verifyDelivery(
  headers: DeliveryHeaders,
  rawBody: Buffer,
  keys: readonly TrustedKey[],
  options: VerifyOptions = {},
): Verification {
  const header = headerReader(headers)
  const reject = (status: 400 | 401, reason: string, id?: string): Verification => ({
    ok: false,
    rejection: { status, reason, id },
  })

  // Lower-cased, `Kick-Event-Message-Id` and the drops `Kick-Event-Message-ID` are the same header.
  const id = header(EVENT_HEADERS.messageId)
  const standardTimestamp = header(EVENT_HEADERS.timestamp)
  const drops = standardTimestamp === undefined && header(DROPS_HEADERS.timestamp) !== undefined
  const timestamp = drops ? header(DROPS_HEADERS.timestamp) : standardTimestamp
  const signature = header(EVENT_HEADERS.signature)
  const type = drops ? DROPS_EVENT_TYPE : header(EVENT_HEADERS.type)
  const subscriptionId = drops ? undefined : header(EVENT_HEADERS.subscriptionId)
  const version = drops ? undefined : header(EVENT_HEADERS.version)

  const names = drops ? DROPS_REQUIRED : EVENT_REQUIRED
  const values = drops
    ? [id, timestamp, signature]
    : [id, subscriptionId, signature, timestamp, type, version]
  const missing = names.filter((_, i) => values[i] === undefined || values[i] === '')
  if (missing.length) return reject(400, `missing header ${missing.join(', ')}`, id ?? undefined)
  const repeated = names.filter((_, i) => values[i] === null)
  if (repeated.length) return reject(400, `repeated header ${repeated.join(', ')}`, id ?? undefined)
  // All present and single from here on.
  const messageId = id!
  const stamp = timestamp!

  const stampMs = Date.parse(stamp)
  if (Number.isNaN(stampMs))
    return reject(400, `timestamp ${JSON.stringify(stamp)} is not RFC 3339`, messageId)

  const match = keys.find((trusted) => verifySignature(trusted.key, messageId, stamp, rawBody, signature!))
  if (!match) return reject(401, SIGNATURE_MISMATCH, messageId)

  if (options.maxAgeMs) {
    const now = options.now ?? Date.now()
    const age = now - stampMs
    if (age > options.maxAgeMs)
      return reject(
        401,
        `timestamp ${stamp} is older than ${formatDuration(options.maxAgeMs)} (replay)`,
        messageId,
      )
    if (-age > options.maxAgeMs)
      return reject(
        401,
        `timestamp ${stamp} is more than ${formatDuration(options.maxAgeMs)} ahead`,
        messageId,
      )
  }

  let payload: unknown
  let bodyText: string
  try {
    bodyText = STRICT_UTF8.decode(rawBody)
    payload = JSON.parse(bodyText)
  } catch (error) {
    const what = error instanceof SyntaxError ? 'not JSON' : 'not UTF-8'
    return reject(400, `body is ${what}`, messageId)
  }

  return {
    ok: true,
    delivery: {
      id: messageId,
      subscriptionId: subscriptionId ?? null,
      type: type!,
      version: version == null ? null : /^\d+$/.test(version) ? Number(version) : version,
      timestamp: stamp,
      payload,
      bodyText,
      key: match.owner,
    },
  }
}
