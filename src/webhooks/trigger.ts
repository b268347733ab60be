import { type KeyLike, randomUUID } from 'node:crypto'

import { UsageError } from '../errors.js'
import { readBoundedFile, unreadableReason } from '../input/file.js'
import {
  EVENT_HEADERS,
  type EventType,
  eventTimestamp,
  hasPath,
  samplePayload,
  setPath,
  ulid,
  unsafePathError,
} from '../kick/events.js'
import { failureReason, httpRequest, type HttpResponse } from '../kick/http.js'
import { signDelivery } from './signature.js'

/** One delivery as Kick would send it: the six headers and the exact body. */
export interface SignedDelivery<Body extends string | Buffer = string> {
  id: string
  headers: Record<string, string>
  body: Body
}

/**
 * `--set path=value` pairs: the value is JSON when it reads as JSON (`gift.amount=500`, `is_live=false`,
 * `emotes=null`, `content="42"`), otherwise the text as is (`sender.username=bob`).
 */
export function parseSetPairs(pairs: readonly string[]): [string, unknown][] {
  return pairs.map((pair) => {
    const at = pair.indexOf('=')
    const path = at > 0 ? pair.slice(0, at) : ''
    if (!path || path.split('.').some((key) => key === ''))
      throw new UsageError(`--set ${pair}: expected path=value, e.g. --set gift.amount=500`)
    const unsafe = unsafePathError(path)
    if (unsafe) throw new UsageError(`--set ${path}: ${unsafe}`)
    const text = pair.slice(at + 1)
    try {
      return [path, JSON.parse(text) as unknown]
    } catch {
      return [path, text]
    }
  })
}

export interface SampleOptions {
  broadcasterUserId?: number
  set?: readonly [string, unknown][]
}

/** The sample payload of a type, with fresh ids where Kick's would differ per event, and the changes asked. */
export function samplePayloadFor(type: EventType, options: SampleOptions = {}): Record<string, unknown> {
  const payload = samplePayload(type)
  if (type === 'chat.message.sent') payload.message_id = randomUUID()
  if (type === 'channel.reward.redemption.updated') payload.id = ulid()
  return applyChanges(payload, options)
}

/** `--broadcaster-id` (where the payload has a broadcaster) and the `--set` pairs, applied in place. */
function applyChanges(payload: Record<string, unknown>, options: SampleOptions): Record<string, unknown> {
  if (
    options.broadcasterUserId !== undefined &&
    payload.broadcaster &&
    typeof payload.broadcaster === 'object'
  )
    (payload.broadcaster as Record<string, unknown>).user_id = options.broadcasterUserId
  for (const [path, value] of options.set ?? []) {
    try {
      setPath(payload, path, value)
    } catch (error) {
      throw new UsageError(`--set ${path}: ${(error as Error).message}`)
    }
  }
  return payload
}

/**
 * The `--set` paths a payload does not have: setting one adds a field, which is most often a typo
 * (`gift.amout`), so the command warns about each.
 */
export function absentSetPaths(payload: unknown, set: readonly [string, unknown][]): string[] {
  if (typeof payload !== 'object' || payload === null) return set.map(([path]) => path)
  return set.map(([path]) => path).filter((path) => !hasPath(payload as Record<string, unknown>, path))
}

/** A payload given with `kick trigger --file`: the file's exact bytes and the JSON they hold. */
export interface PayloadFile {
  bytes: Buffer
  value: unknown
}

/** Reads `--file` (`-`: stdin), bounded; anything but JSON is a usage error. Not checked against a schema. */
export async function readPayloadFile(file: string): Promise<PayloadFile> {
  const name = file === '-' ? 'stdin' : file
  let bytes: Buffer
  try {
    bytes = await readBoundedFile(file)
  } catch (error) {
    throw new UsageError(`--file ${name}: cannot read it (${unreadableReason(error)})`)
  }
  try {
    return { bytes, value: JSON.parse(bytes.toString('utf8')) as unknown }
  } catch (error) {
    throw new UsageError(`--file ${name} is not JSON: ${(error as Error).message}`)
  }
}

/**
 * The body `kick trigger --file` sends: the file's bytes exactly as they are, or, when `--set` or
 * `--broadcaster-id` change it, its JSON with the changes, serialized again.
 */
export function payloadFileBody(file: PayloadFile, options: SampleOptions): Buffer | string {
  if (!options.set?.length && options.broadcasterUserId === undefined) return file.bytes
  if (typeof file.value !== 'object' || file.value === null)
    throw new UsageError('--set and --broadcaster-id change a JSON object or array; the --file holds neither')
  return JSON.stringify(applyChanges(structuredClone(file.value) as Record<string, unknown>, options))
}

export interface DeliveryParts<Body extends string | Buffer = string> {
  type: string
  /** the exact body bytes to sign and send */
  body: Body
  /** the `Kick-Event-Version` header (default 1) */
  version?: number
  /** sign other bytes than those sent: a well-formed signature that does not verify */
  badSignature?: boolean
  id?: string
  timestamp?: string
  subscriptionId?: string
}

/**
 * A delivery signed like Kick's (RSA PKCS#1 v1.5 / SHA-256 over `id.timestamp.body`) with `privateKey`; the
 * id, timestamp and subscription id are fresh unless given.
 */
export function signedDelivery<Body extends string | Buffer = string>(
  privateKey: KeyLike,
  parts: DeliveryParts<Body>,
): SignedDelivery<Body> {
  const id = parts.id ?? ulid()
  const timestamp = parts.timestamp ?? eventTimestamp()
  // A real RSA signature, of the body with one more byte: it looks right, and only verifying it tells
  const signed = parts.badSignature ? Buffer.concat([Buffer.from(parts.body), Buffer.from(' ')]) : parts.body
  return {
    id,
    body: parts.body,
    headers: {
      'Content-Type': 'application/json',
      [EVENT_HEADERS.messageId]: id,
      [EVENT_HEADERS.subscriptionId]: parts.subscriptionId ?? ulid(),
      [EVENT_HEADERS.signature]: signDelivery(privateKey, id, timestamp, signed),
      [EVENT_HEADERS.timestamp]: timestamp,
      [EVENT_HEADERS.type]: parts.type,
      [EVENT_HEADERS.version]: String(parts.version ?? 1),
    },
  }
}

export interface TriggerResult {
  id: string
  type: string
  status: number
  body: string
}

const SEND_TIMEOUT_MS = 30_000

/** POSTs one delivery; the endpoint's answer whatever it is, a KickError-worthy Error when unreachable. */
export async function postDelivery(
  url: string,
  type: string,
  delivery: SignedDelivery<string | Buffer>,
): Promise<TriggerResult> {
  const response = await sendDelivery(url, delivery.headers, delivery.body)
  return { id: delivery.id, type, status: response.status, body: response.text }
}

/**
 * The one way a delivery is POSTed (a triggered one, doctor's test delivery, a replayed one): its headers and
 * exact body bytes, the endpoint's answer whatever it is, an Error saying why when it cannot be reached.
 */
export async function sendDelivery(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<HttpResponse> {
  try {
    return await httpRequest(url, { method: 'POST', headers, body, timeoutMs: SEND_TIMEOUT_MS })
  } catch (error) {
    throw new Error(`could not reach ${url} (${failureReason(error)})`)
  }
}
