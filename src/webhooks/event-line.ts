import { escapeControls } from '../output/sanitize.js'
import { dim, paint, red, yellow } from '../output/terminal.js'
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

/** How much of a payload (or of a field that is not text) a terminal line shows when no summary fits. */
const PREVIEW_CHARS = 100

/** A field as a person reads it: text as it is, anything else as the start of its JSON. */
const asText = (value: unknown): string =>
  typeof value === 'object' && value !== null ? jsonPreview(value, PREVIEW_CHARS) : String(value)

/**
 * The first `max` characters of `value` as JSON (`JSON.stringify(value).slice(0, max)` for what JSON.parse
 * makes), written with a stack of its own rather than by recursion, and only as far as `max`: a signed
 * delivery nested 100,000 deep costs what its first characters do, where JSON.stringify or String() would
 * overflow the call stack.
 */
export function jsonPreview(value: unknown, max: number): string {
  let out = ''
  const open: { items: readonly unknown[] | Payload; keys?: string[]; next: number }[] = []
  let pending = value
  let hasPending = true
  while (out.length < max) {
    if (hasPending) {
      hasPending = false
      if (Array.isArray(pending)) {
        out += '['
        open.push({ items: pending, next: 0 })
      } else if (typeof pending === 'object' && pending !== null) {
        out += '{'
        open.push({ items: pending as Payload, keys: Object.keys(pending), next: 0 })
      } else {
        const scalar = typeof pending === 'string' ? pending.slice(0, max) : pending
        out += JSON.stringify(scalar) ?? 'null'
      }
      continue
    }
    const frame = open.at(-1)
    if (!frame) break
    const { keys, items } = frame
    if (frame.next === (keys ?? (items as unknown[])).length) {
      out += keys ? '}' : ']'
      open.pop()
      continue
    }
    if (frame.next > 0) out += ','
    if (keys) {
      const key = keys[frame.next]!
      out += `${JSON.stringify(key)}:`
      pending = (items as Payload)[key]
    } else pending = (items as unknown[])[frame.next]
    frame.next++
    hasPending = true
  }
  return out.slice(0, max)
}

/** What happened, in a few words, per event type: the part of a terminal line a person reads. */
export function describeEvent(type: string | null, payload: unknown): string {
  const p = payload
  switch (type) {
    case 'chat.message.sent':
      return `${name(p, 'sender')}: ${emotesAsNames(asText(field(p, 'content') ?? ''))}`
    case 'channel.followed':
      return `${name(p, 'follower')} followed ${name(p, 'broadcaster')}`
    case 'channel.subscription.new':
      return `${name(p, 'subscriber')} subscribed to ${name(p, 'broadcaster')} (${asText(field(p, 'duration'))} mo)`
    case 'channel.subscription.renewal':
      return `${name(p, 'subscriber')} renewed (${asText(field(p, 'duration'))} mo)`
    case 'channel.subscription.gifts': {
      const giftees = field(p, 'giftees')
      const count = Array.isArray(giftees) ? giftees.length : '?'
      return `${name(p, 'gifter')} gifted ${count} sub${count === 1 ? '' : 's'}`
    }
    case 'channel.reward.redemption.updated':
      return `${name(p, 'redeemer')} redeemed "${asText(field(p, 'reward.title'))}" (${asText(field(p, 'status'))})`
    case 'livestream.status.updated':
      return field(p, 'is_live')
        ? `${name(p, 'broadcaster')} went live: ${asText(field(p, 'title'))}`
        : `${name(p, 'broadcaster')} went offline`
    case 'livestream.metadata.updated':
      return `title "${asText(field(p, 'metadata.title'))}", category ${asText(field(p, 'metadata.category.name'))}`
    case 'moderation.banned': {
      const expires = field(p, 'metadata.expires_at')
      return `${name(p, 'moderator')} ${expires ? 'timed out' : 'banned'} ${name(p, 'banned_user')}: ${asText(field(p, 'metadata.reason') ?? '')}`
    }
    case 'kicks.gifted':
      return `${name(p, 'sender')} gifted ${asText(field(p, 'gift.amount'))} kicks (${asText(field(p, 'gift.name'))})`
    default:
      return jsonPreview(payload, PREVIEW_CHARS)
  }
}

/** Kick writes an emote into chat content as `[emote:ID:NAME]`; a person reads it as `:NAME:`. */
export function emotesAsNames(content: string): string {
  return content.replace(/\[emote:\d+:([^\]\s]+)\]/g, ':$1:')
}

/** ANSI colour per event family, so a busy stream reads at a glance; rejections are red. */
const FAMILY_COLOURS: readonly [prefix: string, code: number][] = [
  ['chat.', 36], // cyan
  ['channel.reward.', 33], // yellow
  ['channel.', 32], // green: follows and subscriptions
  ['livestream.', 34], // blue
  ['moderation.', 35], // magenta
  ['kicks.', 92], // bright green
]

function familyColour(type: string): number | undefined {
  return FAMILY_COLOURS.find(([prefix]) => type.startsWith(prefix))?.[1]
}

/** Most event types fit this; the redemption one is longer and pushes its line on. */
const TYPE_COLUMN = 28

/** What `--forward-to` got back for one delivery. */
export interface ForwardOutcome {
  id: string
  url: string
  status?: number
  statusText?: string
  /** why the exchange failed, when it did */
  error?: string
  ms: number
}

/** The display-width functions of `src/output/width.ts`, loaded only for a person's terminal. */
type Width = typeof import('../output/width.js')

/**
 * How `kick listen` shows things to a person: one line per event on stdout that fits the terminal (cut with
 * `…`, by display width), coloured by event family; rejections on stderr in red; a `--forward-to` result as
 * a short line under its event. Text from others goes through escapeControls before any colour is added.
 * In JSON mode (or when stderr is not a terminal) the stderr lines keep their long, greppable form.
 */
export class ListenDisplay {
  /** the id of the event whose line was printed last: a forward result right after it needs no id */
  private lastEvent?: string

  private constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly err: NodeJS.WriteStream,
    private readonly json: boolean,
    private readonly width?: Width,
  ) {}

  static async create(
    out: NodeJS.WriteStream,
    err: NodeJS.WriteStream,
    json: boolean,
  ): Promise<ListenDisplay> {
    return new ListenDisplay(out, err, json, json ? undefined : await import('../output/width.js'))
  }

  /** The terminal line of an event: time, type, what happened, and the id when that fits too. */
  eventLine(record: EventRecord): string {
    this.lastEvent = record.id
    const time = record.received_at.slice(11, 19)
    const type = escapeControls(record.type ?? '(no type)').padEnd(TYPE_COLUMN)
    const what = escapeControls(describeEvent(record.type, record.payload))
    const id = escapeControls(record.id)
    const columns = this.out.columns || Infinity
    const room = columns - time.length - type.length - 2
    // narrower than the time and the type: one plain line cut short
    if (room < 2) return this.cut(`${time} ${type} ${what}`, columns)
    const withId = this.measure(what) + 2 + id.length <= room
    const colour = record.type === null ? undefined : familyColour(record.type)
    return (
      `${dim(time, this.out)} ${colour === undefined ? type : paint(colour, type, this.out)} ` +
      (withId ? `${what}  ${dim(id, this.out)}` : this.cut(what, room))
    )
  }

  /** A rejected request, on stderr: red in a terminal. */
  rejected(line: string): void {
    this.err.write(`${red(escapeControls(line), this.err)}\n`)
  }

  /** A `--forward-to` result, on stderr: in a terminal a short line under its event. */
  forwarded(outcome: ForwardOutcome): void {
    const url = escapeControls(outcome.url)
    const id = escapeControls(outcome.id)
    // a person's terminal gets the short form, a log file the greppable one (with or without NO_COLOR)
    if (this.json || !this.err.isTTY) {
      const line = outcome.error
        ? `forward ${id} → ${url} failed: ${outcome.error}`
        : `forward ${id} → ${url}: ${outcome.status} ${escapeControls(outcome.statusText ?? '')}`.trimEnd()
      this.err.write(`${line}\n`)
      return
    }
    const what = outcome.error ? escapeControls(outcome.error) : String(outcome.status)
    const after = this.lastEvent === outcome.id ? '' : ` (${id})`
    const line = `  → ${what} POST ${url} ${Math.round(outcome.ms)} ms${after}`
    const status = outcome.status ?? 0
    const coloured =
      outcome.error || status >= 500
        ? red(line, this.err)
        : status >= 300
          ? yellow(line, this.err)
          : dim(line, this.err)
    this.err.write(`${coloured}\n`)
  }

  private measure(text: string): number {
    return this.width ? this.width.displayWidth(text) : text.length
  }

  private cut(text: string, columns: number): string {
    if (this.width) return this.width.cutToWidth(text, columns)
    return text.length <= columns ? text : `${text.slice(0, Math.max(0, columns - 1))}…`
  }
}
