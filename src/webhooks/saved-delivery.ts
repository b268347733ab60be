import { readFile } from 'node:fs/promises'

import { UsageError } from '../errors.js'
import { readStdin } from '../input/stdin.js'

/** A delivery as `kick listen --save` writes it and `kick webhook verify --file` reads it. */
export interface SavedDelivery {
  headers: Record<string, string>
  /** the raw body bytes (the file keeps them as a string: a verified body is valid UTF-8) */
  body: Buffer
}

/** Reads and checks the `{headers, body}` file (`-`: stdin); a file that is not one is a usage error. */
export async function readSavedDelivery(file: string): Promise<SavedDelivery> {
  let text: string
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new UsageError(`${file} is not JSON: expected {"headers": {...}, "body": "<raw body>"}`)
  }
  const { headers, body } = (parsed ?? {}) as { headers?: unknown; body?: unknown }
  if (!headers || typeof headers !== 'object' || Array.isArray(headers))
    throw new UsageError(`${file}: "headers" must be an object of header name to value`)
  const values = Object.entries(headers as Record<string, unknown>)
  const notText = values.find(([, value]) => typeof value !== 'string')
  if (notText) throw new UsageError(`${file}: header ${notText[0]} must be a string`)
  if (typeof body !== 'string') {
    // A body re-serialized from an object would no longer be the signed bytes.
    throw new UsageError(`${file}: "body" must be the raw body as a string, exactly as received`)
  }
  return { headers: headers as Record<string, string>, body: Buffer.from(body, 'utf8') }
}
