import type { KeyLike } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { validateHeaderName, validateHeaderValue } from 'node:http'
import { join } from 'node:path'

import { MAX_INPUT_FILE_BYTES, readBoundedFile, unreadableReason } from '../input/file.js'
import { DROPS_HEADERS, EVENT_HEADERS, eventTimestamp, ulid } from '../kick/events.js'
import { withoutHopByHop } from './forwarder.js'
import { parseSavedDelivery, type SavedDelivery } from './saved-delivery.js'
import { signDelivery } from './signature.js'
import { sendDelivery } from './trigger.js'

/**
 * `kick webhook replay`: saved deliveries (`kick listen --save` files) sent again, original headers and exact
 * body bytes, one at a time in the order they arrived.
 */

/** One saved delivery to replay, as checked before anything is sent (its body is read again to send it). */
export interface ReplayItem {
  /** the file, or `-` for stdin */
  file: string
  /** stdin's delivery, kept: it cannot be read again */
  saved?: SavedDelivery
  /** the Kick message id (`Kick-Event-Message-Id`, or drops' `-ID`), null when the file has none */
  id: string | null
  type: string | null
  /** when the listener received it; undefined for files saved without `received_at` */
  receivedAt?: number
  /** Kick's own timestamp header, the order of files without `received_at` */
  timestampMs?: number
}

/**
 * The saved deliveries named by `paths` (files, folders of `*.json` files, not recursive, or `-` for one on
 * stdin), in arrival order: the `received_at` the listener wrote, else Kick's timestamp header, ties by file
 * name (a ULID id sorts by time). `problems` holds one line per file that cannot be replayed (and per path that holds none).
 */
export async function collectSavedDeliveries(
  paths: readonly string[],
): Promise<{ items: ReplayItem[]; problems: string[] }> {
  const items: ReplayItem[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  const take = async (file: string): Promise<void> => {
    if (seen.has(file)) return
    seen.add(file)
    try {
      if (file !== '-') items.push(itemOf(file, await readSaved(file)))
      else {
        const saved = await readSavedStdin()
        items.push({ ...itemOf(file, saved), saved })
      }
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  for (const path of paths) {
    if (path === '-') {
      await take(path)
      continue
    }
    let info
    try {
      info = await stat(path)
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException
      problems.push(`${path}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? message)}`)
      continue
    }
    if (!info.isDirectory()) {
      await take(path)
      continue
    }
    let entries
    try {
      entries = await readdir(path, { withFileTypes: true })
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException
      problems.push(
        `${path}: cannot list it (${code === 'EACCES' ? 'permission denied' : (code ?? message)})`,
      )
      continue
    }
    const names = entries
      .filter((entry) => entry.name.endsWith('.json') && !entry.name.startsWith('.') && !entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
    if (!names.length) problems.push(`${path}: no saved deliveries (*.json files) in it`)
    for (const name of names) await take(join(path, name))
  }
  items.sort(
    (a, b) =>
      (a.receivedAt ?? a.timestampMs ?? Infinity) - (b.receivedAt ?? b.timestampMs ?? Infinity) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  )
  return { items, problems }
}

/**
 * A saved file read and checked: a regular file (a FIFO or device would never end), at most
 * {@link MAX_INPUT_FILE_BYTES}, in the `{received_at, headers, body}` form, with headers Node can send.
 */
export async function readSaved(file: string): Promise<SavedDelivery> {
  let text: string
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new Error('not a regular file')
    if (info.size > MAX_INPUT_FILE_BYTES)
      throw new Error(`larger than ${MAX_INPUT_FILE_BYTES / (1024 * 1024)} MiB, not a saved delivery`)
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new Error(`${file}: ${unreadableReason(error)}`)
  }
  return checkHeaders(parseSavedDelivery(text, file), file)
}

/** Headers Node would refuse to send (a space in a name, a line break in a value) are the file's fault. */
function checkHeaders(saved: SavedDelivery, name: string): SavedDelivery {
  for (const [header, value] of Object.entries(saved.headers)) {
    try {
      validateHeaderName(header)
      validateHeaderValue(header, value)
    } catch {
      throw new Error(`${name}: header ${JSON.stringify(header)} cannot be sent in an HTTP request`)
    }
  }
  return saved
}

/** One delivery piped in (`kick webhook replay - …`), bounded like a file. */
async function readSavedStdin(): Promise<SavedDelivery> {
  let bytes: Buffer
  try {
    bytes = await readBoundedFile('-')
  } catch (error) {
    throw new Error(`stdin: ${unreadableReason(error)}`)
  }
  return checkHeaders(parseSavedDelivery(bytes.toString('utf8'), 'stdin'), 'stdin')
}

function itemOf(file: string, saved: SavedDelivery): ReplayItem {
  const stamp =
    header(saved.headers, EVENT_HEADERS.timestamp) ?? header(saved.headers, DROPS_HEADERS.timestamp)
  const timestampMs = stamp === undefined ? NaN : Date.parse(stamp)
  return {
    file,
    id: header(saved.headers, EVENT_HEADERS.messageId) ?? null,
    type: header(saved.headers, EVENT_HEADERS.type) ?? null,
    receivedAt: saved.receivedAt,
    timestampMs: Number.isFinite(timestampMs) ? timestampMs : undefined,
  }
}

/** A header's value by name, whatever its case (`Kick-Event-Message-Id` and drops' `-ID` are one name). */
function header(headers: Record<string, string>, name: string): string | undefined {
  const key = headerKey(headers, name)
  return key === undefined ? undefined : headers[key]
}

function headerKey(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase()
  return Object.keys(headers).find((key) => key.toLowerCase() === lower)
}

/**
 * The headers to send: the saved ones minus those of the listener's connection. With a development key
 * (`--resign`): a fresh message id and timestamp, signed with it, in the header names the file uses.
 */
export function replayHeaders(
  saved: SavedDelivery,
  resignWith?: KeyLike,
): { headers: Record<string, string>; id: string | null } {
  const headers = withoutHopByHop(saved.headers)
  if (!resignWith) return { headers, id: header(headers, EVENT_HEADERS.messageId) ?? null }
  const id = ulid()
  const timestamp = eventTimestamp()
  const set = (name: string, value: string, alternative?: string): void => {
    const key = headerKey(headers, name) ?? (alternative ? headerKey(headers, alternative) : undefined)
    headers[key ?? name] = value
  }
  set(EVENT_HEADERS.messageId, id)
  set(EVENT_HEADERS.timestamp, timestamp, DROPS_HEADERS.timestamp)
  set(EVENT_HEADERS.signature, signDelivery(resignWith, id, timestamp, saved.body))
  return { headers, id }
}

/** What one replayed delivery came to. */
export interface ReplayResult {
  file: string
  id: string | null
  type: string | null
  received_at: string | null
  /** the endpoint's status; null when nothing was sent (--dry-run) or it could not be reached */
  status: number | null
  /** a short excerpt of the endpoint's answer (non-2xx), or why it could not be reached */
  answer?: string
  /** with --resign: the fresh message id it was sent with */
  sent_id?: string
}

/** An item's result before (or without, with --dry-run) sending it. */
export function unsentResult(item: ReplayItem): ReplayResult {
  return {
    file: item.file,
    id: item.id,
    type: item.type,
    received_at: item.receivedAt === undefined ? null : new Date(item.receivedAt).toISOString(),
    status: null,
  }
}

/**
 * Sends the items one at a time, in order, each `intervalMs` after the one before at the soonest (`--rate`),
 * `report`ing each result as it comes.
 */
export async function replayAll(
  url: string,
  items: readonly ReplayItem[],
  options: { intervalMs: number; resignWith?: KeyLike; report: (result: ReplayResult) => void },
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = []
  const started = Date.now()
  for (const [index, item] of items.entries()) {
    const wait = started + index * options.intervalMs - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const result = await replayOne(url, item, options)
    results.push(result)
    options.report(result)
  }
  return results
}

const ANSWER_EXCERPT_CHARS = 200

/** POSTs one saved delivery; never throws for the endpoint's sake (a refusal is a result). */
export async function replayOne(
  url: string,
  item: ReplayItem,
  options: { resignWith?: KeyLike },
): Promise<ReplayResult> {
  const result = unsentResult(item)
  let saved: SavedDelivery
  try {
    // read again, not kept from the check: a folder of thousands of deliveries is never all in memory
    saved = item.saved ?? (await readSaved(item.file))
  } catch (error) {
    return { ...result, answer: `changed since it was checked: ${(error as Error).message}` }
  }
  const { headers, id } = replayHeaders(saved, options.resignWith)
  if (options.resignWith && id) result.sent_id = id
  try {
    const response = await sendDelivery(url, headers, saved.body)
    result.status = response.status
    const text = response.text.trim()
    if ((response.status < 200 || response.status >= 300) && text)
      result.answer = text.length > ANSWER_EXCERPT_CHARS ? `${text.slice(0, ANSWER_EXCERPT_CHARS)}…` : text
  } catch (error) {
    result.answer = (error as Error).message
  }
  return result
}

/** Whether the endpoint took it: a 2xx. */
export const accepted = (result: ReplayResult): boolean =>
  result.status !== null && result.status >= 200 && result.status < 300

/** `--rate 10/s`, `0.5/s`, `30/m` (a bare number is per second): the least time between two sends, in ms. */
export function parseRate(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|m))?$/.exec(text.trim())
  if (!match) return undefined
  const count = Number(match[1])
  if (!(count > 0)) return undefined
  return (match[2] === 'm' ? 60_000 : 1000) / count
}
