import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { type Endpoint, type EndpointId, matchEndpoint, type Scope, SCOPES } from '../kick/endpoints.js'
import { type EventType, isEventType } from '../kick/events.js'
import type { DevKey } from '../webhooks/dev-key.js'
import { apiHandlers } from './api/index.js'
import type { Handler, MockContext } from './context.js'
import { apiError, type MockRequest, readBody, type Reply, ReplyError, writeReply } from './http.js'
import { bearer, oauthHandlers } from './oauth.js'
import { RateLimiter } from './rate-limit.js'
import { applySeed, type SeedData, seedDefaults } from './seed.js'
import { MockState } from './state.js'
import { APP_TOKEN_TTL_SECONDS, type AccessTokenRecord, USER_TOKEN_TTL_SECONDS } from './tokens.js'
import { DEFAULT_RETRY_DELAYS_MS, triggeredPayload, WebhookDispatcher } from './webhooks.js'

export type { SeedData } from './seed.js'
export { MockState } from './state.js'

export interface MockOptions {
  /** 0 = a free port (the default for programmatic use) */
  port?: number
  /** default 127.0.0.1 */
  host?: string
  /** when set, only this client id is accepted */
  clientId?: string
  /** when set, only this client secret is accepted */
  clientSecret?: string
  /** where signed events are delivered */
  webhookUrl?: string
  /** users/channels to load over the built-in ones (`--seed FILE`) */
  seed?: SeedData
  /** requests per window (a minute), then 429 with Retry-After */
  rateLimit?: number
  /** the rate limit's window in seconds (default 60); tests shorten it */
  rateLimitWindow?: number
  /** seconds, default 7200 (tests use small values to exercise refresh) */
  accessTokenTtl?: number
  /** one line per request/delivery (stderr in the CLI); never a token */
  log?: (line: string) => void
  /** waits between webhook attempts (default 1, 2, 4, 8, 16 s) */
  webhookRetryDelaysMs?: readonly number[]
  /** the signing key; default the local development key (`loadDevKey()`) */
  devKey?: DevKey
}

export interface IssuedToken {
  access_token: string
  token_type: 'Bearer'
  refresh_token?: string
  expires_in: number
  scope?: string
}

export interface MockKick {
  /** http://127.0.0.1:PORT — both KICK_API_URL and KICK_AUTH_URL */
  url: string
  /** in-memory state, readable by tests */
  state: MockState
  /** the webhook deliveries so far, for tests */
  webhooks: WebhookDispatcher
  issueToken(options: {
    kind: 'user' | 'app'
    scopes?: Scope[]
    userId?: number
    expiresIn?: number
  }): IssuedToken
  /** delivers a sample event now (to its subscribers, or once when there are none); resolves once settled */
  trigger(
    event: EventType,
    options?: { broadcasterUserId?: number; set?: Record<string, unknown> },
  ): Promise<void>
  close(): Promise<void>
}

/** The client id tokens get when the mock issues them itself (issueToken, /mock/tokens). */
export const MOCK_CLIENT_ID = '01JMOCKC11ENT1D000000000000'

const handlers: Record<EndpointId, Handler> = { ...oauthHandlers, ...apiHandlers }

/** Starts a local Kick: the API and the OAuth server on one port, state in memory, signed webhook delivery. */
export async function startMockKick(options: MockOptions = {}): Promise<MockKick> {
  const log = options.log ?? (() => {})
  const state = new MockState()
  seedDefaults(state)
  if (options.seed) applySeed(state, options.seed)
  const devKey = options.devKey ?? (await (await import('../webhooks/dev-key.js')).loadDevKey())
  const webhooks = new WebhookDispatcher(state, {
    url: options.webhookUrl,
    devKey,
    log,
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  })
  const context: MockContext = {
    state,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    accessTokenTtl: options.accessTokenTtl ?? USER_TOKEN_TTL_SECONDS,
    webhooks,
    devKey,
  }
  const limiter =
    options.rateLimit !== undefined
      ? new RateLimiter(options.rateLimit, (options.rateLimitWindow ?? 60) * 1000)
      : undefined

  const issueToken: MockKick['issueToken'] = ({ kind, scopes, userId, expiresIn }) => {
    const clientId = options.clientId ?? MOCK_CLIENT_ID
    if (kind === 'app') {
      return state.tokens.issueApp({ clientId, ttlSeconds: expiresIn ?? APP_TOKEN_TTL_SECONDS })
    }
    return state.tokens.issueUser({
      clientId,
      scopes: scopes ?? [...SCOPES],
      userId: userId ?? state.loginUserId,
      ttlSeconds: expiresIn ?? context.accessTokenTtl,
    })
  }

  const server = createServer((req, res) => {
    const started = Date.now()
    const path = new URL(req.url ?? '/', 'http://mock').pathname
    handle(req, res, { context, limiter, issueToken })
      .catch((error: unknown) => {
        writeReply(res, apiError(500, 'Internal server error'))
        log(`mock error on ${req.method} ${path}: ${(error as Error).stack ?? String(error)}`)
      })
      // the path only: queries can carry tokens (revoke's ?token=)
      .finally(() => log(`${req.method} ${path} → ${res.statusCode} (${Date.now() - started} ms)`))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    url,
    state,
    webhooks,
    issueToken,
    async trigger(event, triggerOptions = {}) {
      const broadcaster = triggerOptions.broadcasterUserId ?? state.loginUserId
      await webhooks.fire(event, broadcaster, triggeredPayload(state, event, broadcaster, triggerOptions.set))
    },
    close() {
      webhooks.close()
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

interface Services {
  context: MockContext
  limiter?: RateLimiter
  issueToken: MockKick['issueToken']
}

async function handle(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock')
  const body = await readBody(req)
  if (body === undefined) return writeReply(res, apiError(413, 'Payload Too Large'))
  const request: MockRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    params: {},
  }
  try {
    writeReply(res, await route(request, services))
  } catch (error) {
    if (error instanceof ReplyError) return writeReply(res, error.reply)
    throw error
  }
}

async function route(request: MockRequest, services: Services): Promise<Reply> {
  const { context, limiter } = services
  if (request.path.startsWith('/mock/')) return control(request, services)

  const retryAfter = limiter?.take()
  if (retryAfter !== undefined) {
    return { ...apiError(429, 'Too Many Requests'), headers: { 'retry-after': String(retryAfter) } }
  }

  const match = matchEndpoint(request.method, request.path)
  if (!match) {
    const otherMethod = ['GET', 'POST', 'PATCH', 'DELETE'].some((method) =>
      matchEndpoint(method, request.path),
    )
    return otherMethod ? apiError(405, 'Method Not Allowed') : apiError(404, 'Not Found')
  }
  request.params = match.params
  const checked = checkToken(match.endpoint, request, context)
  if ('status' in checked) return checked
  return handlers[match.id](request, context, checked.token)
}

/**
 * Bearer rules from the endpoint table: 401 for a missing, unknown, revoked or expired token; 403 for the
 * wrong kind of token, or a user token without one of the endpoint's scopes.
 */
function checkToken(
  endpoint: Endpoint,
  request: MockRequest,
  context: MockContext,
): { token?: AccessTokenRecord } | Reply {
  if (endpoint.token === 'none' || endpoint.token === 'bearer-subject') return {}
  const token = context.state.tokens.activeAccess(bearer(request))
  if (!token) return apiError(401, 'Unauthorized')
  if (endpoint.token === 'user' && token.kind !== 'user')
    return apiError(403, 'Forbidden: this endpoint needs a user access token, not an app access token')
  if (endpoint.token === 'app' && token.kind !== 'app')
    return apiError(403, 'Forbidden: this endpoint needs an app access token (client credentials)')
  if (
    token.kind === 'user' &&
    endpoint.scopes.length &&
    !endpoint.scopes.some((s) => token.scopes.includes(s))
  )
    return apiError(403, `Forbidden: missing scope ${endpoint.scopes.join(' or ')}`)
  return { token }
}

/**
 * The mock's own routes, outside Kick's API: `POST /mock/trigger/{event}` fires a sample event (body, optional:
 * `{"broadcaster_user_id": N, "set": {"path.to.field": value}}`); `POST /mock/tokens` issues a token without
 * the OAuth dance (body: `{"kind": "user"|"app", "scopes": [...], "user_id": N, "expires_in": S}`).
 */
async function control(request: MockRequest, services: Services): Promise<Reply> {
  const { context } = services
  const body = request.body.length ? parseJson(request.body) : {}
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return apiError(400, 'Bad Request: the body must be a JSON object')
  const fields = body as Record<string, unknown>

  const trigger = /^\/mock\/trigger\/([^/]+)$/.exec(request.path)
  if (trigger && request.method === 'POST') {
    const event = decodeURIComponent(trigger[1]!)
    if (!isEventType(event)) return apiError(404, `Not Found: unknown event type ${event}`)
    if (!context.webhooks.url)
      return apiError(409, 'Conflict: no webhook URL, start the mock with --webhook-url URL')
    const broadcaster = fields.broadcaster_user_id ?? context.state.loginUserId
    if (!Number.isInteger(broadcaster))
      return apiError(400, 'Bad Request: broadcaster_user_id must be an integer')
    const set = fields.set ?? {}
    if (typeof set !== 'object' || set === null || Array.isArray(set))
      return apiError(400, 'Bad Request: set must be an object of path: value')
    const payload = triggeredPayload(
      context.state,
      event,
      broadcaster as number,
      set as Record<string, unknown>,
    )
    // answered at once; the delivery (and its retries) goes on in the background
    const deliveries = context.webhooks.fire(event, broadcaster as number, payload)
    void deliveries.catch(() => undefined)
    return { status: 202, json: { data: { event, queued: true }, message: 'OK' } }
  }

  if (request.path === '/mock/tokens' && request.method === 'POST') {
    const kind = fields.kind ?? 'user'
    if (kind !== 'user' && kind !== 'app') return apiError(400, 'Bad Request: kind must be user or app')
    const scopes = fields.scopes
    if (
      scopes !== undefined &&
      !(Array.isArray(scopes) && scopes.every((s) => (SCOPES as readonly unknown[]).includes(s)))
    )
      return apiError(400, `Bad Request: scopes must be a list of ${SCOPES.join(', ')}`)
    const userId = fields.user_id
    if (userId !== undefined && !context.state.users.has(userId as number))
      return apiError(400, 'Bad Request: user_id is not a known user')
    const expiresIn = fields.expires_in
    if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && (expiresIn as number) > 0))
      return apiError(400, 'Bad Request: expires_in must be a positive integer')
    const grant = services.issueToken({
      kind,
      scopes: scopes as Scope[] | undefined,
      userId: userId as number | undefined,
      expiresIn: expiresIn as number | undefined,
    })
    return { status: 200, json: grant, headers: { 'cache-control': 'no-store' } }
  }
  return apiError(404, 'Not Found')
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
