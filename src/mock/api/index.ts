import type { Handler } from '../context.js'
import { categoriesHandlers } from './categories.js'
import { channelsHandlers } from './channels.js'
import { chatHandlers } from './chat.js'
import { dropsHandlers } from './drops.js'
import { eventsHandlers } from './events.js'
import { livestreamsHandlers } from './livestreams.js'
import { kicksHandlers } from './kicks.js'
import { moderationHandlers } from './moderation.js'
import { rewardsHandlers } from './rewards.js'
import type { ApiEndpointId } from './params.js'
import { usersHandlers } from './users.js'

/**
 * Kick's API endpoints (REFERENCE.md §2), one handler per id of the endpoint table. The router finds the id
 * with `matchEndpoint` and has already checked the bearer token and scopes, so a handler only deals with
 * parameters, state and the answer's shape. Each resource has its file; this type fails to compile when an
 * id of the table has no handler.
 */
export const apiHandlers: Record<ApiEndpointId, Handler> = {
  ...usersHandlers,
  ...channelsHandlers,
  ...rewardsHandlers,
  ...chatHandlers,
  ...moderationHandlers,
  ...livestreamsHandlers,
  ...kicksHandlers,
  ...categoriesHandlers,
  ...eventsHandlers,
  ...dropsHandlers,
}
