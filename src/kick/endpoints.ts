/**
 * The one table of Kick's endpoints (facts from shared/kick-api/REFERENCE.md). Commands, the scope
 * pre-check, batching, pagination, the mock server's routes and the README's command list all read it;
 * nothing else in the code base spells a Kick path.
 */

export const SCOPES = [
  'user:read',
  'channel:read',
  'channel:write',
  'channel:rewards:read',
  'channel:rewards:write',
  'chat:write',
  'streamkey:read',
  'events:subscribe',
  'moderation:ban',
  'moderation:chat_message:manage',
  'kicks:read',
] as const
export type Scope = (typeof SCOPES)[number]

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Which server: the REST API (`KICK_API_URL`) or the OAuth server (`KICK_AUTH_URL`). */
export type Host = 'api' | 'auth'

/**
 * Which token Kick accepts: `user` (authorization_code), `app` (client_credentials), `any` (either),
 * `none` (no Authorization header), `bearer-subject` (the token being inspected is the bearer: introspect).
 */
export type TokenKind = 'user' | 'app' | 'any' | 'none' | 'bearer-subject'

/**
 * How a list is paged: `next_cursor` in the envelope's `pagination`, `data_cursor` nested in `data.cursor`
 * (drops claims), or not at all.
 */
export type Pagination = 'none' | 'next_cursor' | 'data_cursor'

/** A list Kick caps per request: where it goes (query key or JSON body key) and the cap. */
export interface BatchLimit {
  in: 'query' | 'body'
  /** the query keys (any one of them is the list) or the JSON body key holding the list */
  keys: readonly string[]
  limit: number
}

export interface Endpoint {
  method: HttpMethod
  host: Host
  /** path with `{name}` placeholders, appended to the host's base URL */
  path: string
  token: TokenKind
  /** with a user token, one of these scopes is needed (empty: none) */
  scopes: readonly Scope[]
  /** how the request carries its parameters besides the path */
  body: 'none' | 'json' | 'form'
  /** the status Kick answers on success */
  success: 200 | 204 | 302
  /**
   * What `data` holds in Kick's success envelope, which the client checks before a command reads it: a `list`
   * (JSON array) or an `object`. Undefined: anything (the command reads nothing from it, e.g. a ban's `{}`).
   */
  data?: 'list' | 'object'
  pagination: Pagination
  batch?: BatchLimit
  /** the cursor endpoint's `limit` bounds, when it has one */
  limit?: { min: number; max: number; default?: number }
  /** Kick deprecated it: the date, shown in a warning on stderr */
  deprecated?: string
  /** the command that calls it (the README and `kick api` help list them) */
  command: string
  summary: string
}

// prettier-ignore
const table = {
  // --- OAuth server (id.kick.com) ---
  oauthAuthorize: {
    method: 'GET', host: 'auth', path: '/oauth/authorize', token: 'none', scopes: [], body: 'none',
    success: 302, pagination: 'none', command: 'auth login', summary: 'Browser authorization (PKCE S256)',
  },
  oauthToken: {
    method: 'POST', host: 'auth', path: '/oauth/token', token: 'none', scopes: [], body: 'form',
    success: 200, data: 'object', pagination: 'none', command: 'auth refresh',
    summary: 'Token grants: authorization_code, refresh_token, client_credentials',
  },
  oauthRevoke: {
    method: 'POST', host: 'auth', path: '/oauth/revoke', token: 'none', scopes: [], body: 'form',
    success: 200, pagination: 'none', command: 'auth revoke', summary: 'Revoke an access or refresh token',
  },
  oauthIntrospect: {
    method: 'POST', host: 'auth', path: '/oauth/token/introspect', token: 'bearer-subject', scopes: [],
    body: 'none', success: 200, data: 'object', pagination: 'none', command: 'auth status',
    summary: 'Introspect a token',
  },
  tokenIntrospectLegacy: {
    method: 'POST', host: 'api', path: '/public/v1/token/introspect', token: 'bearer-subject', scopes: [],
    body: 'none', success: 200, data: 'object', pagination: 'none', deprecated: '2026-01-15',
    command: 'auth status --legacy',
    summary: 'Introspect a token (deprecated endpoint)',
  },

  // --- API (api.kick.com) ---
  usersGet: {
    method: 'GET', host: 'api', path: '/public/v1/users', token: 'any', scopes: ['user:read'], body: 'none',
    success: 200, data: 'list', pagination: 'none', command: 'users get',
    summary: 'Users by id, or the token owner',
  },
  channelsGet: {
    method: 'GET', host: 'api', path: '/public/v1/channels', token: 'any', scopes: ['channel:read'],
    body: 'none', success: 200, data: 'list', pagination: 'none', command: 'channels get',
    // Kick allows 50 but corrupts ~half of a 50-slug answer (KDD#321): 25 is the safe batch.
    batch: { in: 'query', keys: ['slug', 'broadcaster_user_id'], limit: 25 },
    summary: 'Channels by slug or broadcaster id, or your own',
  },
  channelsUpdate: {
    method: 'PATCH', host: 'api', path: '/public/v1/channels', token: 'user', scopes: ['channel:write'],
    body: 'json', success: 204, pagination: 'none', command: 'channels update',
    summary: 'Update stream title, category, tags',
  },
  rewardsList: {
    method: 'GET', host: 'api', path: '/public/v1/channels/rewards', token: 'user',
    scopes: ['channel:rewards:read', 'channel:rewards:write'], body: 'none', success: 200, data: 'list',
    pagination: 'none',
    command: 'rewards list', summary: 'Channel point rewards',
  },
  rewardsCreate: {
    method: 'POST', host: 'api', path: '/public/v1/channels/rewards', token: 'user',
    scopes: ['channel:rewards:write'], body: 'json', success: 200, data: 'object', pagination: 'none',
    command: 'rewards create', summary: 'Create a reward',
  },
  rewardsUpdate: {
    method: 'PATCH', host: 'api', path: '/public/v1/channels/rewards/{id}', token: 'user',
    scopes: ['channel:rewards:write'], body: 'json', success: 200, data: 'object', pagination: 'none',
    command: 'rewards update', summary: 'Update a reward',
  },
  rewardsDelete: {
    method: 'DELETE', host: 'api', path: '/public/v1/channels/rewards/{id}', token: 'user',
    scopes: ['channel:rewards:write'], body: 'none', success: 204, pagination: 'none',
    command: 'rewards delete', summary: 'Delete a reward',
  },
  redemptionsList: {
    method: 'GET', host: 'api', path: '/public/v1/channels/rewards/redemptions', token: 'user',
    scopes: ['channel:rewards:read', 'channel:rewards:write'], body: 'none', success: 200, data: 'list',
    pagination: 'next_cursor', batch: { in: 'query', keys: ['id'], limit: 25 },
    command: 'redemptions list', summary: 'Redemptions, grouped by reward',
  },
  redemptionsAccept: {
    method: 'POST', host: 'api', path: '/public/v1/channels/rewards/redemptions/accept', token: 'user',
    scopes: ['channel:rewards:write'], body: 'json', success: 200, data: 'list', pagination: 'none',
    batch: { in: 'body', keys: ['ids'], limit: 25 }, command: 'redemptions accept',
    summary: 'Accept redemptions (answers the ones that failed)',
  },
  redemptionsReject: {
    method: 'POST', host: 'api', path: '/public/v1/channels/rewards/redemptions/reject', token: 'user',
    scopes: ['channel:rewards:write'], body: 'json', success: 200, data: 'list', pagination: 'none',
    batch: { in: 'body', keys: ['ids'], limit: 25 }, command: 'redemptions reject',
    summary: 'Reject redemptions (answers the ones that failed)',
  },
  chatSend: {
    method: 'POST', host: 'api', path: '/public/v1/chat', token: 'user', scopes: ['chat:write'], body: 'json',
    success: 200, data: 'object', pagination: 'none', command: 'chat send',
    summary: 'Send a chat message as a user or bot',
  },
  chatDelete: {
    method: 'DELETE', host: 'api', path: '/public/v1/chat/{message_id}', token: 'user',
    scopes: ['moderation:chat_message:manage'], body: 'none', success: 204, pagination: 'none',
    command: 'chat delete', summary: 'Delete a chat message',
  },
  moderationBan: {
    method: 'POST', host: 'api', path: '/public/v1/moderation/bans', token: 'user', scopes: ['moderation:ban'],
    body: 'json', success: 200, pagination: 'none', command: 'moderation ban',
    summary: 'Ban a user, or time them out with a duration (kick moderation timeout)',
  },
  moderationUnban: {
    // Kick takes a JSON body on this DELETE, not a query string.
    method: 'DELETE', host: 'api', path: '/public/v1/moderation/bans', token: 'user', scopes: ['moderation:ban'],
    body: 'json', success: 200, pagination: 'none', command: 'moderation unban', summary: 'Lift a ban or timeout',
  },
  livestreamsList: {
    method: 'GET', host: 'api', path: '/public/v2/livestreams', token: 'any', scopes: [], body: 'none',
    success: 200, data: 'list', pagination: 'next_cursor', limit: { min: 1, max: 100 }, command: 'livestreams list',
    summary: 'Live streams (v2, cursor-paged)',
  },
  livestreamsListV1: {
    method: 'GET', host: 'api', path: '/public/v1/livestreams', token: 'any', scopes: [], body: 'none',
    success: 200, data: 'list', pagination: 'none', limit: { min: 1, max: 100 }, deprecated: '2026-06-23',
    command: 'livestreams list --api-version 1', summary: 'Live streams (v1, deprecated)',
  },
  livestreamsStats: {
    method: 'GET', host: 'api', path: '/public/v1/livestreams/stats', token: 'any', scopes: [], body: 'none',
    success: 200, data: 'object', pagination: 'none', command: 'livestreams stats',
    summary: 'How many streams are live',
  },
  kicksLeaderboard: {
    method: 'GET', host: 'api', path: '/public/v1/kicks/leaderboard', token: 'user', scopes: ['kicks:read'],
    body: 'none', success: 200, data: 'object', pagination: 'none', command: 'kicks leaderboard',
    summary: "KICKs gifters of the token owner's channel",
  },
  categoriesList: {
    method: 'GET', host: 'api', path: '/public/v2/categories', token: 'any', scopes: [], body: 'none',
    success: 200, data: 'list', pagination: 'next_cursor', limit: { min: 1, max: 1000, default: 25 },
    command: 'categories list', summary: 'Categories (v2, filters, cursor-paged)',
  },
  categoriesSearch: {
    method: 'GET', host: 'api', path: '/public/v1/categories', token: 'any', scopes: [], body: 'none',
    success: 200, data: 'list', pagination: 'none', deprecated: '2026-01-15', command: 'categories search',
    summary: 'Search categories (v1, deprecated)',
  },
  categoriesGet: {
    method: 'GET', host: 'api', path: '/public/v1/categories/{category_id}', token: 'any', scopes: [],
    body: 'none', success: 200, data: 'object', pagination: 'none', deprecated: '2026-01-15',
    command: 'categories get',
    summary: 'One category (v1, deprecated)',
  },
  publicKey: {
    method: 'GET', host: 'api', path: '/public/v1/public-key', token: 'none', scopes: [], body: 'none',
    success: 200, data: 'object', pagination: 'none', command: 'public-key',
    summary: "Kick's webhook signing public key",
  },
  eventsList: {
    method: 'GET', host: 'api', path: '/public/v1/events/subscriptions', token: 'any', scopes: [],
    body: 'none', success: 200, data: 'list', pagination: 'none', command: 'events list',
    summary: 'Webhook subscriptions',
  },
  eventsSubscribe: {
    method: 'POST', host: 'api', path: '/public/v1/events/subscriptions', token: 'any',
    scopes: ['events:subscribe'], body: 'json', success: 200, data: 'list', pagination: 'none',
    command: 'events subscribe',
    summary: 'Subscribe to webhook events',
  },
  eventsUnsubscribe: {
    method: 'DELETE', host: 'api', path: '/public/v1/events/subscriptions', token: 'any', scopes: [],
    body: 'none', success: 204, pagination: 'none', batch: { in: 'query', keys: ['id'], limit: 50 },
    command: 'events unsubscribe', summary: 'Delete webhook subscriptions',
  },
  dropsClaimsList: {
    method: 'GET', host: 'api', path: '/public/v1/drops/claims', token: 'app', scopes: [], body: 'none',
    success: 200, data: 'object', pagination: 'data_cursor', limit: { min: 1, max: 1000, default: 10 },
    command: 'drops claims list', summary: "Drops claims of an organization's campaigns",
  },
  dropsClaimsUpdate: {
    method: 'PATCH', host: 'api', path: '/public/v1/drops/claims', token: 'app', scopes: [], body: 'json',
    success: 204, pagination: 'none', batch: { in: 'body', keys: ['claims'], limit: 100 },
    command: 'drops claims update', summary: "Set drops claims' external status",
  },
} as const satisfies Record<string, Endpoint>

export type EndpointId = keyof typeof table
export const endpoints: Readonly<Record<EndpointId, Endpoint>> = table

export function endpointIds(): EndpointId[] {
  return Object.keys(endpoints) as EndpointId[]
}

/** `/public/v1/channels/rewards/{id}` + `{id: 'x'}` → `/public/v1/channels/rewards/x`, each value escaped. */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined || value === '') throw new Error(`missing path parameter ${name} for ${path}`)
    return encodeURIComponent(String(value))
  })
}

/** The endpoint a method and path (with concrete values) belong to, for `kick api` and the mock's router. */
export function matchEndpoint(
  method: string,
  path: string,
): { id: EndpointId; endpoint: Endpoint; params: Record<string, string> } | undefined {
  const upper = method.toUpperCase()
  for (const id of endpointIds()) {
    const endpoint = endpoints[id]
    if (endpoint.method !== upper) continue
    const names: string[] = []
    const pattern = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name)
      return '([^/]+)'
    })
    const match = new RegExp(`^${pattern}/?$`).exec(path)
    if (!match) continue
    const params: Record<string, string> = {}
    names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)))
    return { id, endpoint, params }
  }
  return undefined
}
