/**
 * What `kick api` does before and after its one HTTP exchange, modelled on `gh api`: where a PATH goes,
 * how `-f`/`-F` fields become a query or a body, and where a paged answer keeps its items and cursor.
 */
import { UsageError } from '../errors.js'
import type { Endpoint, Host } from './endpoints.js'

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const

export interface ApiTarget {
  host: Host
  /** the path on that host, without the query */
  path: string
  /** a query written into PATH itself (`users?id=1`) */
  query: URLSearchParams
}

/**
 * `users` and `/users` → `/public/v1/users` on the API host; `/public/…` as is; `/oauth/…` on the auth host.
 * Full URLs are refused: the bearer token must only ever go to the configured Kick hosts.
 */
export function resolveApiPath(input: string): ApiTarget {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(input)) {
    throw new UsageError(
      `PATH is a path such as /public/v1/users, not a URL: set KICK_API_URL for another server`,
    )
  }
  const [rawPath = '', rawQuery = ''] = splitOnce(input, '?')
  let path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`
  if (path === '/') throw new UsageError('PATH is empty: e.g. `kick api users`')
  const host: Host = path === '/oauth' || path.startsWith('/oauth/') ? 'auth' : 'api'
  if (host === 'api' && !path.startsWith('/public/')) path = `/public/v1${path}`
  return { host, path, query: new URLSearchParams(rawQuery) }
}

export type FieldValue = string | number | boolean | null

export interface Field {
  key: string
  value: FieldValue
}

export interface FieldReaders {
  /** the text of a file, for `-F key=@file` */
  file: (path: string) => string
  /** all of stdin, for `-F key=@-` (read at most once) */
  stdin: () => string
}

/**
 * `-f key=value` keeps the value a string; `-F key=value` reads `true`, `false`, `null` and numbers as JSON,
 * `@file` as the file's text and `@-` as stdin, like `gh api`.
 */
export function parseField(argument: string, typed: boolean, readers: FieldReaders): Field {
  const [key = '', value] = splitOnce(argument, '=')
  if (!key || value === undefined) {
    throw new UsageError(`field "${argument}" is not key=value`)
  }
  if (!typed) return { key, value }
  if (value === 'true') return { key, value: true }
  if (value === 'false') return { key, value: false }
  if (value === 'null') return { key, value: null }
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(value)) return { key, value: Number(value) }
  if (value === '@-') return { key, value: readers.stdin() }
  if (value.startsWith('@')) return { key, value: readers.file(value.slice(1)) }
  return { key, value }
}

/** Fields as a query string: a repeated key is a repeated parameter (`?id=1&id=2`); `key[]` is `key`. */
export function fieldsToQuery(fields: readonly Field[], into = new URLSearchParams()): URLSearchParams {
  for (const { key, value } of fields) into.append(arrayKey(key) ?? key, value === null ? '' : String(value))
  return into
}

/** Fields as a JSON object: a repeated key, or one written `key[]`, collects an array (`-f ids[]=a`). */
export function fieldsToJson(fields: readonly Field[]): Record<string, FieldValue | FieldValue[]> {
  const counts = new Map<string, number>()
  for (const { key } of fields) counts.set(arrayKey(key) ?? key, (counts.get(arrayKey(key) ?? key) ?? 0) + 1)
  const body: Record<string, FieldValue | FieldValue[]> = {}
  for (const { key, value } of fields) {
    const name = arrayKey(key) ?? key
    if (arrayKey(key) !== undefined || counts.get(name)! > 1) {
      const list = Array.isArray(body[name]) ? (body[name] as FieldValue[]) : []
      body[name] = [...list, value]
    } else {
      body[name] = value
    }
  }
  return body
}

/** Fields as a form, for the OAuth endpoints the table marks `form`. */
export function fieldsToForm(fields: readonly Field[]): Record<string, string> {
  return Object.fromEntries(fields.map(({ key, value }) => [key, value === null ? '' : String(value)]))
}

/** `-H 'Name: value'` → [name, value]. */
export function parseHeader(argument: string): [string, string] {
  const [name = '', value] = splitOnce(argument, ':')
  if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name.trim()) || value === undefined) {
    throw new UsageError(`header "${argument}" is not 'Name: value'`)
  }
  return [name.trim(), value.trim()]
}

/**
 * The items and next cursor of one page of a Kick list: `data` as an array with `pagination.next_cursor`,
 * or `data.cursor` beside the list (drops claims). Undefined when the answer is not a list.
 */
export function pageOfBody(body: unknown): { items: unknown[]; cursor?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { data, pagination } = body as { data?: unknown; pagination?: { next_cursor?: unknown } }
  if (Array.isArray(data)) {
    const next = pagination?.next_cursor
    return { items: data, cursor: typeof next === 'string' && next ? next : undefined }
  }
  if (data && typeof data === 'object' && 'cursor' in data) {
    const list = Object.values(data).find(Array.isArray) as unknown[] | undefined
    if (!list) return undefined
    const next = (data as { cursor?: unknown }).cursor
    return { items: list, cursor: typeof next === 'string' && next ? next : undefined }
  }
  return undefined
}

/** The table's rules for a path `kick api` reaches, with `--app` forcing an app token. */
export function apiEndpoint(known: Endpoint | undefined, target: ApiTarget, method: string, app: boolean) {
  if (!app) return known
  const base: Endpoint = known ?? {
    method: method as Endpoint['method'],
    host: target.host,
    path: target.path,
    token: 'any',
    scopes: [],
    body: 'json',
    success: 200,
    pagination: 'none',
    command: 'api',
    summary: 'kick api',
  }
  return { ...base, token: 'app' } satisfies Endpoint
}

function arrayKey(key: string): string | undefined {
  return key.endsWith('[]') && key.length > 2 ? key.slice(0, -2) : undefined
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)]
}
