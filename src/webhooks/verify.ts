import type { KeyObject } from 'node:crypto'

import { DROPS_HEADERS, EVENT_HEADERS } from '../kick/events.js'
import { clip } from '../output/sanitize.js'
import { formatDuration } from './duration.js'
import { verifySignature } from './signature.js'

/** Header maps as they come: Node's (lower-cased, maybe repeated) or a saved file's (any casing). */
export type DeliveryHeaders = Record<string, string | readonly string[] | undefined>

/** What a drops claim delivery is called in our output: Kick sends it without a type header. */
export const DROPS_EVENT_TYPE = 'drops.claim'

/** A delivery whose signature, freshness and body checked out. */
export interface VerifiedDelivery {
  id: string
  /**
   * The three unsigned headers, as received: Kick's signature does not cover them, so one that is missing is
   * null rather than a reason to refuse a validly signed delivery (drops deliveries carry none of them).
   */
  subscriptionId: string | null
  /** any type as received (Kick adds types); `drops.claim` for drops deliveries */
  type: string | null
  /** the `Kick-Event-Version` header as a number when it is one */
  version: number | string | null
  /** the timestamp header verbatim */
  timestamp: string
  /** the timestamp in ms since the epoch */
  timestampMs: number
  payload: unknown
  /** the body as text, exactly as received (valid UTF-8 JSON) */
  bodyText: string
  /** which key verified it: Kick's (fetched, cached, documented, or --public-key-file) or the local dev key */
  key: 'kick' | 'dev'
}

/**
 * Why a delivery was turned away and what the listener answers: 400 when the request is not a delivery at
 * all (a signed header missing or repeated, timestamp or body unreadable), 401 when it does not prove it came from Kick now
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

/**
 * Kick's message ids are ULIDs (26 characters); a longer one than this is refused (400) before anything is
 * done with it, so that the ids deduplication holds, and what a log line repeats of them, stay small.
 */
export const MAX_MESSAGE_ID_BYTES = 128
/** How much of a timestamp header a rejection's reason repeats. */
const SHOWN_TIMESTAMP_CHARS = 40

/**
 * A header, looked up case-insensitively by its lower-cased name; a repeated header counts as malformed
 * (null), as Kick sends each once. Node hands the listener lower-cased names, so the direct look-up nearly
 * always hits (no per-call allocation on the listener's hot path); a saved delivery may spell them any way.
 */
function readHeader(headers: DeliveryHeaders, lowerName: string): string | undefined | null {
  let value = headers[lowerName]
  if (value === undefined) {
    for (const name in headers) {
      if (name.toLowerCase() === lowerName) {
        value = headers[name]
        break
      }
    }
  }
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  return value.length === 1 ? value[0]! : null
}

const lower = <T extends Record<string, string>>(names: T): T =>
  Object.fromEntries(Object.entries(names).map(([key, name]) => [key, name.toLowerCase()])) as T
const EVENT = lower(EVENT_HEADERS)
const DROPS = lower(DROPS_HEADERS)

/** What the signature covers, and so what a delivery cannot do without. */
const EVENT_REQUIRED = [EVENT_HEADERS.messageId, EVENT_HEADERS.signature, EVENT_HEADERS.timestamp]
const DROPS_REQUIRED = [DROPS_HEADERS.messageId, DROPS_HEADERS.signature, DROPS_HEADERS.timestamp]
const UNSIGNED = [EVENT_HEADERS.subscriptionId, EVENT_HEADERS.type, EVENT_HEADERS.version]

/**
 * RFC 3339's date-time (section 5.6), as Kick sends it (`2025-04-01T07:56:19Z`): `Date.parse` alone would also
 * take an HTTP-date or a bare date, which no Kick delivery carries.
 */
const RFC_3339 =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/

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
  /** Node's `req.rawHeaders`, where a header sent twice still shows as two */
  rawHeaders?: readonly string[],
): Verification {
  // Lower-cased, `Kick-Event-Message-Id` and the drops `Kick-Event-Message-ID` are the same header.
  const id = readHeader(headers, EVENT.messageId)
  const standardTimestamp = readHeader(headers, EVENT.timestamp)
  const dropsTimestamp = standardTimestamp === undefined ? readHeader(headers, DROPS.timestamp) : undefined
  const drops = dropsTimestamp !== undefined
  const timestamp = drops ? dropsTimestamp : standardTimestamp
  const signature = readHeader(headers, EVENT.signature)
  const type = drops ? DROPS_EVENT_TYPE : readHeader(headers, EVENT.type)
  const subscriptionId = drops ? undefined : readHeader(headers, EVENT.subscriptionId)
  const version = drops ? undefined : readHeader(headers, EVENT.version)

  // the common case, every header present once, builds no lists
  if (!id || !timestamp || !signature || type === null || subscriptionId === null || version === null) {
    const names = [...(drops ? DROPS_REQUIRED : EVENT_REQUIRED), ...(drops ? [] : UNSIGNED)]
    const values = [id, signature, timestamp, subscriptionId, type, version]
    const missing = names.filter((_, i) => i < 3 && (values[i] === undefined || values[i] === ''))
    if (missing.length) return reject(400, `missing header ${missing.join(', ')}`, id ?? undefined)
    const repeated = names.filter((_, i) => values[i] === null)
    return reject(400, `repeated header ${repeated.join(', ')}`, id ?? undefined)
  }
  // Node hands a header sent twice over as one, its values joined by ", ": no Kick header holds a comma, so
  // only then are the raw headers counted (a request that is not a delivery pays for it, a delivery does not)
  if (
    rawHeaders &&
    (id.includes(',') ||
      signature.includes(',') ||
      timestamp.includes(',') ||
      type?.includes(',') ||
      subscriptionId?.includes(',') ||
      version?.includes(','))
  ) {
    const names = drops ? DROPS_REQUIRED : [...EVENT_REQUIRED, ...UNSIGNED]
    const repeated = names.filter((name) => timesSent(rawHeaders, name) > 1)
    if (repeated.length) return reject(400, `repeated header ${repeated.join(', ')}`)
  }
  const messageId = id
  const stamp = timestamp
  // Node decodes header values as Latin-1: a character is a byte as sent
  if (messageId.length > MAX_MESSAGE_ID_BYTES)
    return reject(400, `message id longer than ${MAX_MESSAGE_ID_BYTES} bytes (Kick's are 26)`, messageId)

  const stampMs = RFC_3339.test(stamp) ? Date.parse(stamp) : NaN
  if (Number.isNaN(stampMs))
    return reject(
      400,
      `timestamp ${JSON.stringify(clip(stamp, SHOWN_TIMESTAMP_CHARS))} is not RFC 3339`,
      messageId,
    )

  let match: TrustedKey | undefined
  for (const trusted of keys) {
    if (verifySignature(trusted.key, messageId, stamp, rawBody, signature)) {
      match = trusted
      break
    }
  }
  if (!match) return reject(401, SIGNATURE_MISMATCH, messageId)

  if (options.maxAgeMs) {
    const now = options.now ?? Date.now()
    const age = now - stampMs
    if (age > options.maxAgeMs)
      return reject(
        401,
        `timestamp ${clip(stamp, SHOWN_TIMESTAMP_CHARS)} is older than ${formatDuration(options.maxAgeMs)} (replay)`,
        messageId,
      )
    if (-age > options.maxAgeMs)
      return reject(
        401,
        `timestamp ${clip(stamp, SHOWN_TIMESTAMP_CHARS)} is more than ${formatDuration(options.maxAgeMs)} ahead`,
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
      subscriptionId: subscriptionId || null,
      type: type || null,
      version: !version ? null : /^\d+$/.test(version) ? Number(version) : version,
      timestamp: stamp,
      timestampMs: stampMs,
      payload,
      bodyText,
      key: match.owner,
    },
  }
}

function timesSent(rawHeaders: readonly string[], name: string): number {
  let times = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const sent = rawHeaders[i]!
    if (sent.length === name.length && sent.toLowerCase() === name.toLowerCase()) times++
  }
  return times
}

function reject(status: 400 | 401, reason: string, id?: string): Verification {
  return { ok: false, rejection: { status, reason, id } }
}
