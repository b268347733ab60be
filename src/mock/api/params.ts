import type { EndpointId } from '../../kick/endpoints.js'
import { codePointLength } from '../../kick/limits.js'
import { badRequest } from '../http.js'
import type { oauthHandlers } from '../oauth.js'
import type { AccessTokenRecord } from '../tokens.js'

/** Parameter checks, cursor pagination and the token's user, shared by the API handlers. */

export type ApiEndpointId = Exclude<EndpointId, keyof typeof oauthHandlers>

/** Integers from repeated keys and comma-separated values (`?id=1&id=2`, `?id=1,2`); 400 on anything else. */
export function intList(query: URLSearchParams, key: string): number[] {
  return query
    .getAll(key)
    .flatMap((value) => value.split(','))
    .filter((value) => value !== '')
    .map((value) => {
      if (!/^\d+$/.test(value)) badRequest(`${key} must be an integer, got "${value}"`)
      return Number(value)
    })
}

export function stringList(query: URLSearchParams, key: string): string[] {
  return query
    .getAll(key)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean)
}

export function intParam(
  query: URLSearchParams,
  key: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = query.get(key)
  if (value === null || value === '') return fallback
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max)
    badRequest(`${key} must be an integer from ${min} to ${max}`)
  return n
}

export function isInt(value: unknown, min = 1): value is number {
  return Number.isInteger(value) && (value as number) >= min
}

export function checkText(name: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') badRequest(`${name} must be a string`)
  const length = codePointLength(value)
  if (!allowEmpty && length === 0) badRequest(`${name} must not be empty`)
  if (length > max) badRequest(`${name} must be at most ${max} characters`)
  return value
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') badRequest(`${name} must be a boolean`)
  return value
}

// ---------- cursor pagination ----------

/** Kick's cursors look like base64 of `{"c_cursor":10}` (an offset); clients must treat them as opaque. */
const encodeCursor = (offset: number): string =>
  Buffer.from(JSON.stringify({ c_cursor: offset })).toString('base64')

function decodeCursor(value: string | null): number {
  if (!value) return 0
  try {
    const offset = (JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { c_cursor?: unknown })
      .c_cursor
    if (isInt(offset, 0)) return offset
  } catch {
    // fall through to the 400
  }
  badRequest('cursor is not valid')
}

/** One page and the envelope's `pagination`; the last page has an empty `next_cursor`. */
export function page<T>(
  items: T[],
  query: URLSearchParams,
  limit: number,
): { data: T[]; pagination: { next_cursor: string } } {
  const offset = decodeCursor(query.get('cursor'))
  const data = items.slice(offset, offset + limit)
  const next = offset + limit < items.length ? encodeCursor(offset + limit) : ''
  return { data, pagination: { next_cursor: next } }
}

export function userOf(token: AccessTokenRecord | undefined): number {
  // the router lets only user tokens through to these handlers
  return token?.userId ?? 0
}
