import { type KeyLike, randomUUID } from 'node:crypto'

import { UsageError } from '../errors.js'
import {
  EVENT_HEADERS,
  type EventType,
  eventTimestamp,
  samplePayload,
  setPath,
  ulid,
  unsafePathError,
} from '../kick/events.js'
import { failureReason, httpRequest, type HttpResponse } from '../kick/http.js'
import { signDelivery } from './signature.js'

/** One delivery as Kick would send it: the six headers and the exact body. */
export interface SignedDelivery {
  id: string
  headers: Record<string, string>
  body: string
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

export interface DeliveryParts {
  type: string
  /** the exact body bytes to sign and send */
  body: string
  id?: string
  timestamp?: string
  subscriptionId?: string
}

/**
 * A delivery signed like Kick's (RSA PKCS#1 v1.5 / SHA-256 over `id.timestamp.body`) with `privateKey`; the
 * id, timestamp and subscription id are fresh unless given.
 */
export function signedDelivery(privateKey: KeyLike, parts: DeliveryParts): SignedDelivery {
  const id = parts.id ?? ulid()
  const timestamp = parts.timestamp ?? eventTimestamp()
  return {
    id,
    body: parts.body,
    headers: {
      'Content-Type': 'application/json',
      [EVENT_HEADERS.messageId]: id,
      [EVENT_HEADERS.subscriptionId]: parts.subscriptionId ?? ulid(),
      [EVENT_HEADERS.signature]: signDelivery(privateKey, id, timestamp, parts.body),
      [EVENT_HEADERS.timestamp]: timestamp,
      [EVENT_HEADERS.type]: parts.type,
      [EVENT_HEADERS.version]: '1',
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
  delivery: SignedDelivery,
): Promise<TriggerResult> {
  let response: HttpResponse
  try {
    response = await httpRequest(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      timeoutMs: SEND_TIMEOUT_MS,
    })
  } catch (error) {
    throw new Error(`could not reach ${url} (${failureReason(error)})`)
  }
  return { id: delivery.id, type, status: response.status, body: response.text }
}
