import type { DevKey } from '../webhooks/dev-key.js'
import type { Faults } from './faults.js'
import type { MockRequest, Reply } from './http.js'
import type { MockState } from './state.js'
import type { AccessTokenRecord } from './tokens.js'
import type { WebhookDispatcher } from './webhooks.js'

/** What every handler can reach: the state, the app settings, the webhook dispatcher and the signing key. */
export interface MockContext {
  state: MockState
  /** when set, the only client id accepted */
  clientId?: string
  /** when set, the only client secret accepted */
  clientSecret?: string
  accessTokenTtl: number
  webhooks: WebhookDispatcher
  devKey: DevKey
  /** `--fault`: the misbehaviour a handler plays itself (subscriptions not kept or listed twice) */
  faults: Faults
}

/** A route's handler; `token` is the bearer token already checked against the endpoint table's rules. */
export type Handler = (
  request: MockRequest,
  context: MockContext,
  token: AccessTokenRecord | undefined,
) => Reply | Promise<Reply>
