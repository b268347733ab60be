import {
  EVENT_HEADERS,
  type EventType,
  eventTimestamp,
  samplePayload,
  setPath,
  ulid,
} from '../kick/events.js'
import { httpRequest } from '../kick/http.js'
import { signDelivery } from '../webhooks/signature.js'
import type { DevKey } from '../webhooks/dev-key.js'
import type { MockState, MockUser } from './state.js'
import { isoNanoseconds } from './seed.js'

export interface DeliveryRecord {
  messageId: string
  subscriptionId: string
  type: EventType
  timestamp: string
  body: string
  attempts: number
  /** the receiver's last HTTP status, or the network error */
  lastResult?: number | string
  status: 'pending' | 'delivered' | 'failed'
  /** sent again after it was delivered (`--fault webhook-retry`) */
  resent?: boolean
}

export interface DispatcherOptions {
  url?: string
  devKey: DevKey
  log: (line: string) => void
  /** waits between attempts; one more attempt than there are delays */
  retryDelaysMs: readonly number[]
  /** `--fault webhook-retry`: whether to send a delivered event once more, as Kick's retries sometimes do */
  resendDelivered?: () => boolean
}

/** Kick retries deliveries with backoff; these are the mock's waits (5 attempts over ~30 s). */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000] as const
const ATTEMPT_TIMEOUT_MS = 10_000

/**
 * Delivers signed events to the webhook URL: one delivery per matching subscription, queued so an API answer
 * never waits for it, retried with backoff while the receiver fails. Each retry resends the same message id,
 * timestamp and signature, as Kick's at-least-once delivery does.
 */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly settling = new Map<DeliveryRecord, () => void>()
  private closed = false

  constructor(
    private readonly state: MockState,
    private readonly options: DispatcherOptions,
  ) {}

  get url(): string | undefined {
    return this.options.url
  }

  /**
   * An event something in the channel caused: delivered to the subscriptions for it, nothing when there are
   * none (as on Kick). Answers how many deliveries it queued.
   */
  emit(type: EventType, broadcasterUserId: number, payload: Record<string, unknown>): number {
    if (!this.options.url) return 0
    const ids = this.subscriptionIds(type, broadcasterUserId)
    for (const subscriptionId of ids) void this.deliver(type, subscriptionId, payload)
    return ids.length
  }

  /**
   * `/mock/trigger` and `trigger()`: delivered to the subscriptions for it, or once with a fresh subscription
   * id when nobody subscribed (so a receiver can be tested without subscribing first). Resolves once every
   * delivery has succeeded or given up.
   */
  async fire(
    type: EventType,
    broadcasterUserId: number,
    payload: Record<string, unknown>,
  ): Promise<DeliveryRecord[]> {
    if (!this.options.url) throw new Error('no webhook URL: start the mock with --webhook-url URL')
    const ids = this.subscriptionIds(type, broadcasterUserId)
    if (ids.length === 0) ids.push(ulid())
    return Promise.all(ids.map((id) => this.deliver(type, id, payload)))
  }

  /** Stops retrying; deliveries still waiting count as failed. */
  close(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const [record, settle] of this.settling) {
      record.status = 'failed'
      settle()
    }
    this.settling.clear()
  }

  private subscriptionIds(type: EventType, broadcasterUserId: number): string[] {
    return [...this.state.subscriptions.values()]
      .filter((sub) => sub.event === type && sub.broadcaster_user_id === broadcasterUserId)
      .map((sub) => sub.id)
  }

  private deliver(
    type: EventType,
    subscriptionId: string,
    payload: Record<string, unknown>,
  ): Promise<DeliveryRecord> {
    const body = JSON.stringify(payload)
    const record: DeliveryRecord = {
      messageId: ulid(),
      subscriptionId,
      type,
      timestamp: eventTimestamp(),
      body,
      attempts: 0,
      status: 'pending',
    }
    if (!this.options.url || this.closed) {
      record.status = 'failed'
      return Promise.resolve(record)
    }
    this.deliveries.push(record)
    return new Promise((resolve) => {
      this.settling.set(record, () => resolve(record))
      // queued: the API answer that caused the event goes out first
      setImmediate(() => void this.attempt(record))
    })
  }

  private async attempt(record: DeliveryRecord): Promise<void> {
    if (this.closed) return
    const url = this.options.url!
    record.attempts++
    const signature = signDelivery(
      this.options.devKey.privateKey,
      record.messageId,
      record.timestamp,
      record.body,
    )
    try {
      const response = await httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': 'Go-http-client/1.1',
          [EVENT_HEADERS.messageId]: record.messageId,
          [EVENT_HEADERS.subscriptionId]: record.subscriptionId,
          [EVENT_HEADERS.signature]: signature,
          [EVENT_HEADERS.timestamp]: record.timestamp,
          [EVENT_HEADERS.type]: record.type,
          [EVENT_HEADERS.version]: '1',
        },
        body: record.body,
        timeoutMs: ATTEMPT_TIMEOUT_MS,
      })
      record.lastResult = response.status
    } catch (error) {
      record.lastResult = (error as NodeJS.ErrnoException).code ?? (error as Error).name
    }
    if (this.closed) return
    const delivered = typeof record.lastResult === 'number' && record.lastResult < 300
    const delay = this.options.retryDelaysMs[record.attempts - 1]
    const what = `webhook ${record.type} ${record.messageId} attempt ${record.attempts} → ${record.lastResult}`
    if (delivered && !record.resent && this.options.resendDelivered?.()) {
      // the same message id, timestamp and signature again: a receiver must dedupe
      record.resent = true
      this.options.log(`${what}, sending it again (--fault webhook-retry)`)
      void this.attempt(record)
      return
    }
    if (delivered || delay === undefined) {
      record.status = delivered ? 'delivered' : 'failed'
      this.options.log(delivered ? what : `${what}, giving up`)
      this.settling.get(record)?.()
      this.settling.delete(record)
      return
    }
    this.options.log(`${what}, retrying in ${delay} ms`)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.attempt(record)
    }, delay)
    this.timers.add(timer)
  }
}

/** A user as webhook payloads carry one; only the keys the template (the sample's object) has are kept. */
export function webhookUser(
  state: MockState,
  userId: number,
  template: Record<string, unknown> = FULL_USER_TEMPLATE,
): Record<string, unknown> {
  const user: MockUser = state.user(userId) ?? {
    user_id: userId,
    name: `user${userId}`,
    email: '',
    profile_picture: '',
    is_verified: false,
  }
  const full: Record<string, unknown> = {
    is_anonymous: false,
    user_id: user.user_id,
    username: user.name,
    is_verified: user.is_verified,
    profile_picture: user.profile_picture,
    channel_slug: state.channels.get(user.user_id)?.slug ?? user.name.toLowerCase(),
    identity: null,
  }
  return Object.fromEntries(
    Object.keys(template).map((key) => [key, key in full ? full[key] : template[key]]),
  )
}

const FULL_USER_TEMPLATE = {
  is_anonymous: false,
  user_id: 0,
  username: '',
  is_verified: false,
  profile_picture: '',
  channel_slug: '',
  identity: null,
}

/**
 * A sample event for `/mock/trigger`: the documented sample with the broadcaster swapped for one of the
 * mock's, then `set` applied (`"gift.amount": 500` sets a nested value; a key without dots a top-level one).
 */
export function triggeredPayload(
  state: MockState,
  type: EventType,
  broadcasterUserId: number,
  set: Record<string, unknown> = {},
): Record<string, unknown> {
  const payload = samplePayload(type)
  // a chat message's time as Kick writes it, with nanoseconds (the docs' sample has whole seconds)
  if (type === 'chat.message.sent') payload.created_at = isoNanoseconds(state.now())
  const template = payload.broadcaster as Record<string, unknown> | undefined
  if (template) payload.broadcaster = webhookUser(state, broadcasterUserId, template)
  for (const [path, value] of Object.entries(set)) setPath(payload, path, value, { replaceScalars: true })
  return payload
}
