import { createHash } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

import { probeWritable, writeFileAtomic } from '../config/files.js'
import { writeFailure } from '../config/private-dir.js'
import { UsageError } from '../errors.js'
import { readStdin } from '../input/stdin.js'

/** A delivery as `kick listen --save` writes it and `kick webhook verify --file` reads it. */
export interface SavedDelivery {
  headers: Record<string, string>
  /** the raw body bytes (the file keeps them as a string: a verified body is valid UTF-8) */
  body: Buffer
  /** when the listener received it (`received_at`, ms since the epoch); files saved before kick wrote it lack it */
  receivedAt?: number
}

/** Reads and checks the `{headers, body}` file (`-`: stdin); a file that is not one is a usage error. */
export async function readSavedDelivery(file: string): Promise<SavedDelivery> {
  let text: string
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return parseSavedDelivery(text, file)
}

/** Checks the text of a saved delivery; `name` (the file) starts every error. */
export function parseSavedDelivery(text: string, name: string): SavedDelivery {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new UsageError(`${name} is not JSON: expected {"headers": {...}, "body": "<raw body>"}`)
  }
  const { headers, body, received_at } = (parsed ?? {}) as {
    headers?: unknown
    body?: unknown
    received_at?: unknown
  }
  if (!headers || typeof headers !== 'object' || Array.isArray(headers))
    throw new UsageError(`${name}: "headers" must be an object of header name to value`)
  const values = Object.entries(headers as Record<string, unknown>)
  const notText = values.find(([, value]) => typeof value !== 'string')
  if (notText) throw new UsageError(`${name}: header ${notText[0]} must be a string`)
  if (typeof body !== 'string') {
    // A body re-serialized from an object would no longer be the signed bytes.
    throw new UsageError(`${name}: "body" must be the raw body as a string, exactly as received`)
  }
  const receivedAt = typeof received_at === 'string' ? Date.parse(received_at) : undefined
  if (received_at !== undefined && !Number.isFinite(receivedAt))
    throw new UsageError(`${name}: "received_at" must be a date and time (ISO 8601)`)
  return { headers: headers as Record<string, string>, body: Buffer.from(body, 'utf8'), receivedAt }
}

/**
 * `--save DIR` checked before listening: created when missing, then proven writable by writing a file into
 * it (which also catches a read-only filesystem, and what permission bits cannot tell root). A usage error
 * otherwise: nothing may be answered 200 that could not be saved.
 */
export async function checkSaveDir(dir: string): Promise<void> {
  const refuse = (why: string): UsageError => new UsageError(`--save ${dir}: ${why}`)
  try {
    await mkdir(dir, { recursive: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') throw refuse('not a directory')
    throw refuse(`cannot create it (${writeFailure(error)})`)
  }
  if (!(await stat(dir)).isDirectory()) throw refuse('not a directory')
  try {
    await probeWritable(dir)
  } catch (error) {
    throw refuse(`cannot write there (${writeFailure(error)})`)
  }
}

/**
 * One delivery written into `dir` as `<message id>.json` (a hash of the id when it is not a plain name), in
 * the form `kick webhook verify --file` reads, with the time it arrived (`kick webhook replay` sends saved
 * deliveries in that order). Atomic (writeFileAtomic): a full disk or a crash leaves the file whole or absent,
 * never empty or cut short; a failed write removes its own temp file and nothing else.
 */
export async function saveDelivery(
  dir: string,
  id: string,
  headers: Record<string, string>,
  body: Buffer,
  receivedAt: Date,
): Promise<void> {
  const name = /^[A-Za-z0-9_-]{1,100}$/.test(id)
    ? id
    : createHash('sha256').update(id).digest('hex').slice(0, 32)
  const saved = { received_at: receivedAt.toISOString(), headers, body: body.toString('utf8') }
  const text = JSON.stringify(saved, null, 2) + '\n'
  await writeFileAtomic(join(dir, `${name}.json`), text, { mode: 0o644 })
}
