import { escapeControls } from '../output/sanitize.js'
import { cyan, dim } from '../output/terminal.js'
import type { VerifiedDelivery } from './verify.js'

/** One accepted event as `kick listen` prints it (one JSON line each; SPEC §5). */
export interface EventRecord {
  id: string
  subscription_id: string | null
  type: string | null
  version: number | string | null
  timestamp: string
  received_at: string
  payload: unknown
}

export function eventRecord(delivery: VerifiedDelivery, receivedAt: Date): EventRecord {
  return {
    id: delivery.id,
    subscription_id: delivery.subscriptionId,
    type: delivery.type,
    version: delivery.version,
    timestamp: delivery.timestamp,
    received_at: receivedAt.toISOString(),
    payload: delivery.payload,
  }
}

/**
 * The JSON line of an accepted event, the same as `JSON.stringify(eventRecord(...))` but with the payload
 * spliced in as the body's own text: it was valid JSON on arrival, and re-serializing it per event is the
 * largest cost of a busy `kick listen --json`. JSON keeps no raw line breaks inside strings, so folding the
 * body's line breaks into spaces keeps it one line without changing its value.
 */
export function eventJsonLine(delivery: VerifiedDelivery, receivedAt: Date): string {
  const text = delivery.bodyText
  const body = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, ' ') : text
  return (
    `{"id":${JSON.stringify(delivery.id)},"subscription_id":${JSON.stringify(delivery.subscriptionId)},` +
    `"type":${JSON.stringify(delivery.type)},"version":${JSON.stringify(delivery.version)},` +
    `"timestamp":${JSON.stringify(delivery.timestamp)},"received_at":"${receivedAt.toISOString()}",` +
    `"payload":${body.trim()}}`
  )
}

type Payload = Record<string, unknown>

const field = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Payload)[key] : undefined), value)

const name = (value: unknown, path: string): string => {
  const username = field(value, `${path}.username`)
  if (field(value, `${path}.is_anonymous`) === true) return 'anonymous'
  return typeof username === 'string' && username ? username : '?'
}

/** What happened, in a few words, per event type: the part of a terminal line a person reads. */
export function describeEvent(type: string | null, payload: unknown): string {
  const p = payload
  switch (type) {
    case 'chat.message.sent':
      return `${name(p, 'sender')}: ${String(field(p, 'content') ?? '')}`
    case 'channel.followed':
      return `${name(p, 'follower')} followed ${name(p, 'broadcaster')}`
    case 'channel.subscription.new':
      return `${name(p, 'subscriber')} subscribed to ${name(p, 'broadcaster')} (${String(field(p, 'duration'))} mo)`
    case 'channel.subscription.renewal':
      return `${name(p, 'subscriber')} renewed (${String(field(p, 'duration'))} mo)`
    case 'channel.subscription.gifts': {
      const giftees = field(p, 'giftees')
      const count = Array.isArray(giftees) ? giftees.length : '?'
      return `${name(p, 'gifter')} gifted ${count} sub${count === 1 ? '' : 's'}`
    }
    case 'channel.reward.redemption.updated':
      return `${name(p, 'redeemer')} redeemed "${String(field(p, 'reward.title'))}" (${String(field(p, 'status'))})`
    case 'livestream.status.updated':
      return field(p, 'is_live')
        ? `${name(p, 'broadcaster')} went live: ${String(field(p, 'title'))}`
        : `${name(p, 'broadcaster')} went offline`
    case 'livestream.metadata.updated':
      return `title "${String(field(p, 'metadata.title'))}", category ${String(field(p, 'metadata.category.name'))}`
    case 'moderation.banned': {
      const expires = field(p, 'metadata.expires_at')
      return `${name(p, 'moderator')} ${expires ? 'timed out' : 'banned'} ${name(p, 'banned_user')}: ${String(field(p, 'metadata.reason') ?? '')}`
    }
    case 'kicks.gifted':
      return `${name(p, 'sender')} gifted ${String(field(p, 'gift.amount'))} kicks (${String(field(p, 'gift.name'))})`
    default:
      return JSON.stringify(payload).slice(0, 100)
  }
}

/** The readable line for a terminal: time, type, what happened, id. */
export function terminalLine(record: EventRecord, stream: NodeJS.WriteStream = process.stdout): string {
  const time = record.received_at.slice(11, 19)
  return `${dim(time, stream)} ${cyan(escapeControls(record.type ?? '(no type)').padEnd(34), stream)} ${escapeControls(describeEvent(record.type, record.payload))} ${dim(escapeControls(record.id), stream)}`
}
