import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { isIP } from 'node:net'

/** What a mock handler answers; the server writes it. */
export interface Reply {
  status: number
  json?: unknown
  text?: string
  headers?: Record<string, string>
}

/** Set on every answer of the mock's own `/mock/` routes: how a client tells the mock from anything else. */
export const MOCK_HEADER = 'x-kick-mock'

/** Kick's success envelope. */
export const ok = (data: unknown, extra: Record<string, unknown> = {}): Reply => ({
  status: 200,
  json: { data, message: 'OK', ...extra },
})

export const noContent = (): Reply => ({ status: 204 })

/** Kick's API error envelope: `data` null and a `message` (REFERENCE.md §0). */
export const apiError = (status: number, message: string): Reply => ({
  status,
  json: { data: null, message },
})

/** The OAuth server's error shape: `{"error": "Invalid request"}`, plus a description of what was wrong. */
export const oauthError = (description: string, status = 400): Reply => ({
  status,
  json: { error: 'Invalid request', error_description: description },
})

/**
 * Kick's answer, word for word, to a bad, expired or revoked refresh token (KDD#239) and to a reused or wrong
 * authorization code: one generic description, whatever the reason (REFERENCE "Observed error bodies").
 */
export const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token ' +
    'is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or ' +
    'was issued to another client.',
} as const

export const invalidGrant = (): Reply => ({ status: 400, json: INVALID_GRANT })

/** Thrown by handlers to answer at once (validation failures); the server turns it into the reply. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`mock reply ${reply.status}`)
  }
}

/** Kick's 400: the detail as a string in `data`, a generic `message` (REFERENCE.md "Observed error bodies"). */
export const badRequestReply = (detail: string): Reply => ({
  status: 400,
  json: { data: detail, message: 'Bad request' },
})

export function badRequest(detail: string): never {
  throw new ReplyError(badRequestReply(detail))
}

/**
 * Kick's 401 for a missing, bad or expired token, and for an app token where only a user token will do:
 * `data` is `{}` on the endpoints where it was observed (chat, channels), `null` where the docs show it (drops).
 */
export const unauthorized = (data: null | Record<string, never> = {}): Reply => ({
  status: 401,
  json: { data, message: 'Unauthorized' },
})

export function notFound(what: string): never {
  throw new ReplyError(apiError(404, `Not Found: ${what}`))
}

/** One parsed request as handlers see it. */
export interface MockRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
  /** values of the endpoint path's `{name}` placeholders */
  params: Record<string, string>
}

/** The request body as a JSON object; 400 when it is not one. */
export function jsonBody(request: MockRequest): Record<string, unknown> {
  const text = request.body.toString('utf8').trim()
  if (text === '') badRequest('a JSON body is required')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    badRequest('the body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    badRequest('the body must be a JSON object')
  return parsed as Record<string, unknown>
}

/** Form fields, from the body and the query string (Kick's revoke documents the query; SDKs send a form). */
export function formFields(request: MockRequest): URLSearchParams {
  const fields = new URLSearchParams(request.query)
  const type = String(request.headers['content-type'] ?? '')
  if (type.includes('application/x-www-form-urlencoded') || (type === '' && request.body.length > 0)) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) fields.set(key, value)
  }
  return fields
}

export const MAX_BODY_BYTES = 1024 * 1024

export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * Whether a request's `Host` may reach the mock: an IP address (a DNS rebinding needs a name: a page cannot
 * make a browser send `Host: 127.0.0.1` to its own server), `localhost` or a `*.localhost` name (RFC 6761:
 * always loopback), or one of `names` (the host the mock was started on, `--allowed-host`). Any other name is
 * a page on some domain whose DNS now points at this machine: it may send requests, and as the same origin
 * read the answers.
 */
export function hostAllowed(header: string | undefined, names: readonly string[]): boolean {
  // HTTP/1.0 without Host; a browser always sends one (Node refuses an HTTP/1.1 request without it)
  if (header === undefined) return true
  const authority = header.trim().toLowerCase()
  const name = authority.startsWith('[')
    ? authority.slice(1, authority.indexOf(']'))
    : authority.replace(/:\d*$/, '').replace(/\.$/, '')
  if (isIP(name)) return true
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    names.some((allowed) => allowed.toLowerCase() === name)
  )
}

/** The media type of a Content-Type, without its parameters: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers }
  let body = ''
  if (reply.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    body = JSON.stringify(reply.json)
  } else if (reply.text !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8'
    body = reply.text
  }
  res.writeHead(reply.status, headers)
  res.end(body)
}
