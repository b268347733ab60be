import { STATUS_CODES } from 'node:http'

import { type AccessToken, loginCommand, type TokenProvider } from './token-provider.js'
import type { Settings } from '../config/config.js'
import { ApiError, AuthError, KickError } from '../errors.js'
import { redactForm, redactHeader, redactJsonText, redactUrl, rememberSecret } from '../output/redact.js'
import { type Endpoint, type EndpointId, type Host, SCOPES, endpoints, fillPath } from './endpoints.js'
import { AnswerTooLargeError, failureReason, headerValue, httpRequest, type HttpResponse } from './http.js'
import { followCursor, type Page } from './pagination.js'

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[]
export type Query = Record<string, QueryValue>

/** Kick's success envelope. */
export interface Envelope<T = unknown> {
  data: T
  message?: string
  pagination?: { next_cursor?: string | null }
}

export interface RawResponse extends HttpResponse {
  url: string
  /** the token the request carried: what an error's advice depends on (stored or KICK_ACCESS_TOKEN, scopes) */
  token?: AccessToken
}

export interface CallOptions {
  /** values for `{name}` placeholders in the path */
  params?: Record<string, string | number>
  /** arrays become repeated keys (`?id=1&id=2`) */
  query?: Query
  /** JSON body, or form fields for the OAuth endpoints */
  body?: Record<string, unknown>
  headers?: Record<string, string>
  /** use this token instead of asking the provider (introspecting a given token, revoking) */
  token?: AccessToken
}

export interface SendOptions {
  method: string
  host: Host
  path: string
  query?: Query | URLSearchParams
  json?: unknown
  form?: Record<string, string>
  /** a body sent as is (`kick api --input`) */
  raw?: string
  headers?: Record<string, string>
  /** token rules and scopes; undefined means "any token" (an endpoint the table does not know) */
  endpoint?: Endpoint
  token?: AccessToken
}

export interface ClientOptions {
  settings: Pick<Settings, 'apiUrl' | 'authUrl'>
  tokens: TokenProvider
  /** where `--verbose` traces go (stderr); undefined: no traces */
  trace?: (line: string) => void
  /** tries per request for an idempotent 5xx (SPEC: at most 3) */
  tries?: number
  /**
   * The first wait after a 429 without Retry-After, doubled on each retry (default 2 s: 2, 4, 8, 16, 32 s).
   * Tests shorten it with the undocumented KICK_RATE_LIMIT_BASE_MS.
   */
  rateLimitBaseMs?: number
  /** a line for each wait a person would otherwise sit through in silence; set only when stderr is a terminal */
  progress?: (line: string) => void
  /** what the requests say they come from, like gh's `GitHub CLI 2.x` */
  userAgent?: string
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
const TIMEOUT_MS = 30_000
/** After this long without an answer, a person at a terminal is told the CLI is waiting, not stuck. */
const SLOW_ANSWER_MS = 1_000

/**
 * The one way to talk to Kick: base URLs, bearer tokens, retries with backoff, one refresh on a 401, the
 * scope pre-check, batching of capped lists, cursor pagination and error mapping.
 */
export class KickClient {
  constructor(private readonly options: ClientOptions) {}

  baseUrl(host: Host): string {
    return host === 'api' ? this.options.settings.apiUrl : this.options.settings.authUrl
  }

  /** Calls an endpoint of the table and returns its envelope; capped lists are split and merged in order. */
  async call<T = unknown>(id: EndpointId, options: CallOptions = {}): Promise<Envelope<T>> {
    const endpoint = endpoints[id]
    const chunks = splitBatch(endpoint, options)
    if (chunks.length === 1) return this.callOnce<T>(endpoint, chunks[0]!)
    let merged: Envelope<unknown[]> | undefined
    for (const chunk of chunks) {
      const envelope = await this.callOnce<unknown>(endpoint, chunk)
      const items = Array.isArray(envelope.data) ? envelope.data : []
      merged = merged ? { ...envelope, data: [...merged.data, ...items] } : { ...envelope, data: items }
    }
    return merged as Envelope<T>
  }

  /**
   * Follows a cursor endpoint page by page (`--paginate`); yields each page's items. When not following,
   * `onMore` hears the cursor of the page after the last one fetched, so the caller can say how to go on.
   */
  async *pages<T = unknown>(
    id: EndpointId,
    options: CallOptions = {},
    follow = true,
    onMore?: (cursor: string) => void,
  ): AsyncGenerator<T[]> {
    const endpoint = endpoints[id]
    const fetchPage = async (cursor: string | undefined): Promise<Page<T>> => {
      const query = cursor === undefined ? options.query : { ...options.query, cursor }
      return pageOf<T>(endpoint, await this.call<unknown>(id, { ...options, query }))
    }
    yield* followCursor(fetchPage, follow, onMore)
  }

  private async callOnce<T>(endpoint: Endpoint, options: CallOptions): Promise<Envelope<T>> {
    const form = endpoint.body === 'form' ? stringRecord(options.body) : undefined
    const response = await this.send({
      method: endpoint.method,
      host: endpoint.host,
      path: fillPath(endpoint.path, options.params),
      query: options.query,
      json: endpoint.body === 'json' ? options.body : undefined,
      form,
      headers: options.headers,
      endpoint,
      token: options.token,
    })
    if (response.status >= 300) throw errorForResponse(response, endpoint)
    return envelopeOf<T>(response, endpoint)
  }

  /** One HTTP exchange with retries and the 401 refresh; answers whatever status came last. */
  async send(request: SendOptions): Promise<RawResponse> {
    const needsToken = request.endpoint ? !['none'].includes(request.endpoint.token) : true
    let token = request.token
    if (!token && needsToken) token = await this.options.tokens.tokenFor(request.endpoint ?? ANY_TOKEN)
    if (token && request.endpoint) checkScope(token, request.endpoint)

    let response = await this.exchange(request, token)
    if (response.status === 401 && token?.kind === 'user' && !request.token) {
      const refreshed = await this.options.tokens.afterUnauthorized(token)
      if (refreshed) {
        token = refreshed
        response = await this.exchange(request, refreshed)
      }
    }
    return { ...response, token }
  }

  /**
   * One request, tried again on a 429 (any method: Kick did not process it) up to 5 times, or a 5xx on an
   * idempotent method (a POST or PATCH may have been processed) up to `tries` times in all, waiting as
   * Retry-After says (up to a minute) or backing off (see {@link retryDelay}). Network errors fail at once.
   * A redirect is never followed: it comes back as the answer, which the caller treats as an error.
   */
  private async exchange(request: SendOptions, token: AccessToken | undefined): Promise<RawResponse> {
    const url = new URL(this.baseUrl(request.host) + request.path)
    const query = request.query instanceof URLSearchParams ? request.query : toSearchParams(request.query)
    for (const [key, value] of query) url.searchParams.append(key, value)

    const method = request.method.toUpperCase()
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'kick-cli',
      ...request.headers,
    }
    if (token) {
      rememberSecret(token.value)
      headers.authorization = `Bearer ${token.value}`
    }
    let body: string | undefined
    if (request.form) {
      body = new URLSearchParams(request.form).toString()
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8'
    } else if (request.raw !== undefined) {
      body = request.raw
    } else if (request.json !== undefined) {
      body = JSON.stringify(request.json)
      headers['content-type'] ??= 'application/json'
    }

    const policy: RetryPolicy = {
      tries: this.options.tries ?? 3,
      rateLimitBaseMs: this.options.rateLimitBaseMs ?? rateLimitBaseFromEnv(),
    }
    const progress = this.options.progress
    for (let attempt = 1; ; attempt++) {
      this.traceRequest(method, url, headers, request)
      const started = Date.now()
      const slow = progress
        ? setTimeout(() => progress(`waiting for ${url.host} to answer…`), SLOW_ANSWER_MS)
        : undefined
      let response: HttpResponse
      try {
        response = await httpRequest(url, { method, headers, body, timeoutMs: TIMEOUT_MS })
      } catch (error) {
        throw networkError(error, url)
      } finally {
        clearTimeout(slow)
      }
      this.trace(`< ${response.status} ${response.statusText} (${Date.now() - started} ms)`)
      const delay = retryDelay(response, method, attempt, policy)
      if (delay === undefined) return { ...response, url: url.href }
      this.trace(`! retry ${attempt} after ${response.status} ${response.statusText}`)
      if (response.status === 429)
        progress?.(`rate limited by Kick: retrying in ${seconds(delay)} (${attempt}/${RATE_LIMIT_RETRIES})`)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }

  private traceRequest(
    method: string,
    url: URL,
    headers: Record<string, string>,
    request: SendOptions,
  ): void {
    if (!this.options.trace) return
    this.trace(`> ${method} ${redactUrl(url.href)}`)
    for (const [name, value] of Object.entries(headers)) this.trace(`> ${name}: ${redactHeader(name, value)}`)
    if (request.form) this.trace(`> ${redactForm(new URLSearchParams(request.form).toString())}`)
    else if (request.json !== undefined) this.trace(`> ${redactJsonText(JSON.stringify(request.json))}`)
  }

  private trace(line: string): void {
    this.options.trace?.(line)
  }
}

/** What `kick api` uses for a path the table does not know: any token, no scope check. */
const ANY_TOKEN: Endpoint = {
  method: 'GET',
  host: 'api',
  path: '',
  token: 'any',
  scopes: [],
  body: 'none',
  success: 200,
  pagination: 'none',
  command: 'api',
  summary: '',
}

/** Fail fast, before calling Kick, when the stored user token is known to lack the endpoint's scope. */
export function checkScope(token: AccessToken, endpoint: Endpoint): void {
  if (token.kind !== 'user' || !token.scopes || endpoint.scopes.length === 0) return
  if (endpoint.scopes.some((scope) => token.scopes!.includes(scope))) return
  const scope = endpoint.scopes[0]!
  throw new AuthError(
    `this needs the ${scope} scope, which your token lacks: run \`${loginCommand(token.profile, [...token.scopes, scope])}\``,
  )
}

export function toSearchParams(query: Query | undefined): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else params.append(key, String(value))
  }
  return params
}

/** Splits a call whose capped list (query or body) is longer than Kick takes in one request. */
export function splitBatch(endpoint: Endpoint, options: CallOptions): CallOptions[] {
  const batch = endpoint.batch
  if (!batch) return [options]
  const source = batch.in === 'query' ? options.query : options.body
  const key = batch.keys.find((name) => Array.isArray(source?.[name]))
  if (!source || !key) return [options]
  const list = source[key] as readonly unknown[]
  if (list.length <= batch.limit) return [options]
  const chunks: CallOptions[] = []
  for (let start = 0; start < list.length; start += batch.limit) {
    const part = { ...source, [key]: list.slice(start, start + batch.limit) }
    chunks.push(batch.in === 'query' ? { ...options, query: part as Query } : { ...options, body: part })
  }
  return chunks
}

function pageOf<T>(endpoint: Endpoint, envelope: Envelope<unknown>): Page<T> {
  if (endpoint.pagination === 'data_cursor') {
    const data = (envelope.data ?? {}) as { claims?: T[]; cursor?: string | null }
    return { items: data.claims ?? [], cursor: data.cursor ?? undefined }
  }
  const items = Array.isArray(envelope.data) ? (envelope.data as T[]) : []
  return { items, cursor: envelope.pagination?.next_cursor ?? undefined }
}

/** The longest piece of a server's own words an error line quotes. */
const MAX_DETAIL_CHARS = 300

/**
 * What the server said about a failure, for the error line: Kick's `message` and a `data` string (where a
 * 400 keeps its detail), the OAuth server's `error` and `error_description`, each once, leaving out what
 * only repeats the status text (`"Bad request"` on a 400). Undefined when the body says nothing more.
 */
export function apiMessage(text: string, statusText = ''): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return describeBody(text)
  }
  if (typeof body !== 'object' || body === null) return describeBody(text)
  const record = body as Record<string, unknown>
  const status = statusText.trim().toLowerCase()
  const seen = new Set<string>()
  const parts: string[] = []
  for (const value of [record.message, record.data, record.error, record.error_description]) {
    if (typeof value !== 'string') continue
    let part = value.replace(/\s+/g, ' ').trim()
    // Kick's message sometimes starts with the status text ("Not Found: reward"): say it once.
    if (status && part.toLowerCase().startsWith(status))
      part = part.slice(status.length).replace(/^[\s:.-]+/, '')
    const key = part.toLowerCase().replace(/[.!]+$/, '')
    if (!part || key === status || seen.has(key)) continue
    seen.add(key)
    parts.push(part.length > MAX_DETAIL_CHARS ? `${part.slice(0, MAX_DETAIL_CHARS)}…` : part)
  }
  return parts.length ? parts.join(': ') : undefined
}

function describeBody(text: string): string | undefined {
  const flat = text.slice(0, 1000).replace(/\s+/g, ' ').trim()
  if (!flat) return undefined
  if (/^<!doctype html|^<html/i.test(flat)) return 'an HTML page, likely a Cloudflare challenge'
  return flat.length > 200 || text.length > 1000 ? `${flat.slice(0, 200)}…` : flat
}

/** `400 Bad Request`: the code and its reason (the standard one when the server sent none). */
function statusLine(response: Pick<HttpResponse, 'status' | 'statusText'>): string {
  const reason = response.statusText || STATUS_CODES[response.status] || ''
  return reason ? `${response.status} ${reason}` : String(response.status)
}

/** `400 Bad Request: <what the body adds>`: a failed answer as an error line quotes it. */
export function describeFailure(response: Pick<HttpResponse, 'status' | 'statusText' | 'text'>): string {
  const status = statusLine(response)
  const detail = apiMessage(response.text, response.statusText || STATUS_CODES[response.status])
  return detail ? `${status}: ${detail}` : status
}

/** Maps a failed answer (3xx and up) to the error the user sees, with what to do next. */
export function errorForResponse(response: RawResponse, endpoint?: Endpoint): KickError {
  const status = statusLine(response)
  const said = describeFailure(response)
  const token = response.token
  const fromEnv = token?.source === 'env'
  if (response.status >= 300 && response.status < 400) {
    const location = headerValue(response, 'location')
    const to = location ? ` to ${redactUrl(location.slice(0, MAX_DETAIL_CHARS))}` : ''
    return new ApiError(
      `Kick answered ${status}${to} (redirect not followed)`,
      response.status,
      response.text,
    )
  }
  if (response.status === 401) {
    if (fromEnv)
      return new AuthError(
        `Kick rejected the token in KICK_ACCESS_TOKEN (${said}): set a valid one, or unset it to use the stored login`,
        response.text,
      )
    if (token?.kind === 'app')
      return new AuthError(
        `Kick rejected the app token (${said}): check the client id and secret (\`kick config list\`)`,
        response.text,
      )
    return new AuthError(
      `Kick rejected the token (${said}): run \`${loginCommand(token?.profile, token?.scopes)}\``,
      response.text,
    )
  }
  if (response.status === 403) {
    if (/blocked by security policy/i.test(response.text) || /<html/i.test(response.text)) {
      return new ApiError(
        `Kick's edge firewall blocked the request (${said}): try again in a moment`,
        403,
        response.text,
      )
    }
    const missing = missingScope(response.text, token, endpoint)
    if (!missing) {
      // A refusal that is not about scopes (e.g. a reward another app created): Kick's words, no login advice.
      return new ApiError(`Kick refused the request (${said})`, 403, response.text)
    }
    const next = fromEnv
      ? `the token in KICK_ACCESS_TOKEN lacks the ${missing} scope: use one that has it`
      : `run \`${loginCommand(token?.profile, [...(token?.scopes ?? []), missing])}\``
    return new ApiError(`Kick refused the request (${said}): ${next}`, 403, response.text, 4)
  }
  if (response.status === 429) {
    return new ApiError(
      `Kick is rate limiting this app (${said}) and still was after every retry: wait a minute and try again`,
      429,
      response.text,
    )
  }
  return new ApiError(
    `Kick answered ${said}${notFoundHint(response.status, endpoint)}`,
    response.status,
    response.text,
  )
}

/**
 * The scope a 403 is about, when that is known: one Kick's answer names, or the endpoint's scope when the
 * token's scopes are known and lack it. Undefined when the refusal is about something else.
 */
function missingScope(
  text: string,
  token: AccessToken | undefined,
  endpoint: Endpoint | undefined,
): string | undefined {
  const named = SCOPES.filter((scope) => text.includes(scope)).sort((a, b) => b.length - a.length)[0]
  if (named) return named
  if (!endpoint?.scopes.length || token?.kind !== 'user' || !token.scopes) return undefined
  return endpoint.scopes.some((scope) => token.scopes!.includes(scope)) ? undefined : endpoint.scopes[0]
}

/** After a 404 on an endpoint that takes an id: where to find the right one. */
function notFoundHint(status: number, endpoint: Endpoint | undefined): string {
  if (status !== 404 || !endpoint?.path.includes('{')) return ''
  const topic = endpoint.command.split(' ')[0]
  const lister = Object.values(endpoints).find((other) => other.command === `${topic} list`)
  return lister ? `: check the id with \`kick ${lister.command}\`` : ': check the id'
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
const MAX_RETRY_AFTER_MS = 60_000
const MAX_BACKOFF_MS = 8_000
/**
 * Retries after a 429. Kick's limits are per minute and it sends no Retry-After, so the waits (2, 4, 8, 16,
 * 32 s: 62 s in all) outlast a one-minute window before the CLI gives up.
 */
export const RATE_LIMIT_RETRIES = 5
const RATE_LIMIT_BASE_MS = 2_000

export interface RetryPolicy {
  /** tries in all for an idempotent 5xx */
  tries: number
  /** the first wait after a 429 without Retry-After, doubled each time */
  rateLimitBaseMs: number
}

const DEFAULT_POLICY: RetryPolicy = { tries: 3, rateLimitBaseMs: RATE_LIMIT_BASE_MS }

/** How long to wait before try `attempt + 1`, or undefined when this answer is final. */
export function retryDelay(
  response: HttpResponse,
  method: string,
  attempt: number,
  policy: RetryPolicy = DEFAULT_POLICY,
): number | undefined {
  if (!RETRY_STATUSES.has(response.status)) return undefined
  if (response.status === 429) {
    if (attempt > RATE_LIMIT_RETRIES) return undefined
  } else if (!IDEMPOTENT.has(method) || attempt >= policy.tries) return undefined
  const retryAfter = headerValue(response, 'retry-after')
  if (retryAfter !== undefined && (response.status === 429 || response.status === 503)) {
    // seconds, or an HTTP date
    const seconds = Number(retryAfter)
    const wait = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000
    if (!Number.isNaN(wait)) return Math.min(Math.max(wait, 0), MAX_RETRY_AFTER_MS)
  }
  if (response.status === 429) return policy.rateLimitBaseMs * 2 ** (attempt - 1)
  return Math.min(300 * 2 ** (attempt - 1), MAX_BACKOFF_MS)
}

/** KICK_RATE_LIMIT_BASE_MS (undocumented, for tests that cannot wait a minute), else 2 s. */
function rateLimitBaseFromEnv(): number {
  const value = Number(process.env.KICK_RATE_LIMIT_BASE_MS)
  return Number.isFinite(value) && value >= 0 && process.env.KICK_RATE_LIMIT_BASE_MS
    ? value
    : RATE_LIMIT_BASE_MS
}

/** `8 s`, `0.5 s` */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

function networkError(error: unknown, url: URL): KickError {
  if (error instanceof AnswerTooLargeError)
    return new KickError(`${url.origin} sent an answer larger than ${error.limit}: refused`)
  return new KickError(`could not reach ${url.origin}: ${failureReason(error)}`)
}

function isEnvelope(value: unknown): value is Envelope {
  return isRecord(value) && Object.hasOwn(value, 'data')
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A success answer as the command may read it: Kick's `{"data": …}` envelope, its `data` the list or object
 * the endpoint table says. Anything else (`[]`, `null`, a string, `{}` without data, an HTML page, an empty
 * body where data was due) is one line naming the endpoint and what came back, exit 1, so no command ever
 * reads a property of something that is not there. The OAuth server answers without the envelope (a grant
 * is the token object itself; revoke may answer a plain "OK").
 */
export function envelopeOf<T>(response: RawResponse, endpoint: Endpoint): Envelope<T> {
  const empty = response.status === 204 || response.text.trim() === ''
  if (empty && endpoint.data === undefined) return { data: undefined as T }
  const fail = (what: string, expected: string): KickError =>
    new KickError(
      `${endpoint.method} ${new URL(response.url).pathname} answered ${response.status} with ${what}, not ${expected}`,
      1,
      response.text,
    )
  const expected =
    endpoint.host === 'auth'
      ? 'a JSON object'
      : `Kick's {"data": ${endpoint.data === 'list' ? '[…]' : endpoint.data === 'object' ? '{…}' : '…'}} answer`
  if (empty) throw fail('an empty body', expected)
  let parsed: unknown
  try {
    parsed = JSON.parse(response.text)
  } catch {
    // OAuth revoke answers a plain "OK"; anything else that is not JSON is Kick's edge talking.
    if (endpoint.host === 'auth' && endpoint.data === undefined) return { data: response.text as T }
    throw fail(`a body that is not JSON (${describeBody(response.text) ?? 'empty body'})`, expected)
  }
  if (endpoint.host === 'auth' && !isEnvelope(parsed)) {
    if (endpoint.data === 'object' && !isRecord(parsed)) throw fail(describeJson(parsed), expected)
    return { data: parsed as T }
  }
  if (!isEnvelope(parsed)) throw fail(describeJson(parsed), expected)
  const { data } = parsed
  if (endpoint.data === 'list' && !Array.isArray(data))
    throw fail(`"data": ${describeJson(data)}`, `the list Kick sends`)
  if (endpoint.data === 'object' && !isRecord(data))
    throw fail(`"data": ${describeJson(data)}`, `the object Kick sends`)
  return parsed as Envelope<T>
}

/** A JSON value as an error line quotes it: short, on one line. */
function describeJson(value: unknown): string {
  if (isRecord(value) && Object.keys(value).length === 0) return '{}'
  const text = JSON.stringify(value) ?? String(value)
  const quoted = text.length > 80 ? `${text.slice(0, 80)}…` : text
  return isRecord(value) && !Object.hasOwn(value, 'data') ? `${quoted} (no "data")` : quoted
}

function stringRecord(body: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!body) return undefined
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = String(value)
  return out
}
