import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { type Endpoint, type EndpointId, matchEndpoint, type Scope, SCOPES } from '../kick/endpoints.js'
import type { EventType } from '../kick/events.js'
import { originForm } from '../input/url.js'
import { clip } from '../output/sanitize.js'
import type { DevKey } from '../webhooks/dev-key.js'
import { apiHandlers } from './api/index.js'
import type { Handler, MockContext } from './context.js'
import { mockControl, mockRefusal } from './control.js'
import { Faults, type FaultSpec } from './faults.js'
import {
  apiError,
  badRequestReply,
  hostAllowed,
  type MockRequest,
  readBody,
  type Reply,
  ReplyError,
  unauthorized,
  writeReply,
} from './http.js'
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
  /** names besides loopback ones and `host` that a request's `Host` may carry (`--allowed-host`) */
  allowedHosts?: readonly string[]
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
  /** Kick's misbehaviour on demand (`--fault`, parsed by `parseFault`) */
  faults?: readonly FaultSpec[]
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
export const MOCK_CLIENT_ID = '01JMCKC11ENT1D00000000000A'

const handlers: Record<EndpointId, Handler> = { ...oauthHandlers, ...apiHandlers }

/** Starts a local Kick: the API and the OAuth server on one port, state in memory, signed webhook delivery. */
export async function startMockKick(options: MockOptions = {}): Promise<MockKick> {
  const log = options.log ?? (() => {})
  const state = new MockState()
  seedDefaults(state)
  if (options.seed) applySeed(state, options.seed)
  const devKey = options.devKey ?? (await (await import('../webhooks/dev-key.js')).loadDevKey())
  const faults = new Faults(options.faults)
  const webhooks = new WebhookDispatcher(state, {
    url: options.webhookUrl,
    devKey,
    log,
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    resendDelivered: () => faults.happens('webhook-retry'),
  })
  const context: MockContext = {
    state,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    accessTokenTtl: options.accessTokenTtl ?? USER_TOKEN_TTL_SECONDS,
    webhooks,
    devKey,
    faults,
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

  const host = options.host ?? '127.0.0.1'
  const hostNames = [host, ...(options.allowedHosts ?? [])]
  const server = createServer((req, res) => {
    const started = Date.now()
    // the path only (queries can carry tokens: revoke's ?token=), and cut short: whoever sends it chooses it
    const target = originForm(req.url)
    const path = clip(target?.pathname ?? req.url ?? '', LOGGED_PATH_CHARS)
    handle(req, res, target, { context, limiter, faults, issueToken, hostNames })
      .catch((error: unknown) => {
        log(`mock error on ${req.method} ${path}: ${(error as Error).stack ?? String(error)}`)
        // whatever went wrong may go wrong again while answering: then the connection is cut, the mock goes on
        try {
          if (res.headersSent) res.destroy()
          else writeReply(res, apiError(500, 'Internal server error'))
        } catch {
          res.destroy()
        }
      })
      .finally(() => log(`${req.method} ${path} → ${res.statusCode} (${Date.now() - started} ms)`))
  })
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

/** How much of a request's path a log line shows. */
const LOGGED_PATH_CHARS = 200

interface Services {
  /** the names besides loopback ones a request may carry in `Host`: the host the mock listens on, --allowed-host */
  hostNames: readonly string[]
  context: MockContext
  limiter?: RateLimiter
  faults: Faults
  issueToken: MockKick['issueToken']
}

/** `target`: the request target, parsed once by the caller (its log line shows the path). */
async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL | undefined,
  services: Services,
): Promise<void> {
  let url = target
  if (req.url?.startsWith('/oauth/authorize') && services.faults.happens('redirect-rewrite'))
    url = originForm(req.url.replace('127.0.0.1', 'localhost'))
  if (!url) return writeReply(res, badRequestReply('the request target must be a path (/...)'))
  // every route, the API's too: a rebound page would otherwise read the mock's answers as its own origin's
  if (!hostAllowed(req.headers.host, services.hostNames))
    return writeReply(
      res,
      apiError(
        403,
        'Forbidden: the Host header names no loopback address or name of this mock (DNS rebinding?); ' +
          'kick mock start --allowed-host NAME serves a name of your own',
      ),
    )
  const method = (req.method ?? 'GET').toUpperCase()
  if (url.pathname.startsWith('/mock/')) {
    const refusal = mockRefusal(method, url.pathname, req.headers['content-type'])
    if (refusal) return writeReply(res, refusal)
  }
  const body = await readBody(req)
  if (body === undefined) return writeReply(res, apiError(413, 'Payload Too Large'))
  const request: MockRequest = {
    method,
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
  const { context, limiter, faults } = services
  if (request.path.startsWith('/mock/')) return mockControl(request, services)

  const delay = faults.delayMs()
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
  const edge = edgeFault(faults)
  if (edge) return edge

  // Kick sends no Retry-After (it does not expose its limits, KDD#311): only the fault adds one
  const retryAfter = faults.retryAfterSeconds()
  const tooMany = (seconds?: number): Reply => ({
    ...apiError(429, 'Too Many Requests'),
    ...(seconds === undefined ? {} : { headers: { 'retry-after': String(seconds) } }),
  })
  if (limiter?.take() !== undefined) return tooMany(retryAfter)
  if (faults.happens('rate-limit-no-retry-after')) return tooMany()
  if (!limiter && faults.happens('rate-limit-retry-after')) return tooMany(retryAfter)
  if (faults.happens('server-error')) return apiError(500, 'Internal server error')

  let match: ReturnType<typeof matchEndpoint>
  try {
    match = matchEndpoint(request.method, request.path)
  } catch (error) {
    if (error instanceof URIError) return badRequestReply('the path has malformed percent-encoding')
    throw error
  }
  if (!match) {
    const otherMethod = ['GET', 'POST', 'PATCH', 'DELETE'].some((method) =>
      matchEndpoint(method, request.path),
    )
    return otherMethod ? apiError(405, 'Method Not Allowed') : apiError(404, 'Not Found')
  }
  request.params = match.params
  const checked = checkToken(match.id, match.endpoint, request, context)
  if ('status' in checked) return checked
  if (match.id === 'chatSend' && isBotChat(request) && faults.happens('bot-chat-500'))
    return apiError(500, 'Internal server error')
  return handlers[match.id](request, context, checked.token)
}

/** What Kick's edge (Cloudflare) answers before a request reaches the API, when `--fault` asks for it. */
function edgeFault(faults: Faults): Reply | undefined {
  if (faults.happens('challenge'))
    return {
      status: 403,
      headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge' },
      text: CHALLENGE_PAGE,
    }
  if (faults.happens('waf'))
    return {
      status: 403,
      json: { error: 'Request blocked by security policy.', reference: randomBytes(4).toString('hex') },
    }
  return undefined
}

const CHALLENGE_PAGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>\
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">\
</head><body><div class="main-wrapper" role="main"><div class="main-content"><h1>kick.com</h1>\
<p>Verifying you are human. This may take a few seconds.</p></div></div></body></html>
`

function isBotChat(request: MockRequest): boolean {
  try {
    return (JSON.parse(request.body.toString('utf8')) as { type?: unknown }).type === 'bot'
  } catch {
    return false
  }
}

/** The endpoints whose documented 401 has `"data":null` (the drops pages), not the observed `{}`. */
const DATA_NULL_401: ReadonlySet<EndpointId> = new Set(['dropsClaimsList', 'dropsClaimsUpdate'])

/**
 * Bearer rules from the endpoint table: 401 for a missing, unknown, revoked or expired token and for an app
 * token on a user-only endpoint; 403 for a user token on an app-only endpoint, or one without the scopes.
 */
function checkToken(
  id: EndpointId,
  endpoint: Endpoint,
  request: MockRequest,
  context: MockContext,
): { token?: AccessTokenRecord } | Reply {
  if (endpoint.token === 'none' || endpoint.token === 'bearer-subject') return {}
  const token = context.state.tokens.activeAccess(bearer(request))
  // Kick answers an app token where a user token is needed with the same 401 as a bad token (KDD#383)
  if (!token || (endpoint.token === 'user' && token.kind !== 'user'))
    return unauthorized(DATA_NULL_401.has(id) ? null : {})
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
