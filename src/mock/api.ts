import { type EndpointId, endpointIds } from '../kick/endpoints.js'
import type { Handler } from './context.js'
import { apiError, ok } from './http.js'
import { oauthHandlers } from './oauth.js'

type ApiEndpointId = Exclude<EndpointId, keyof typeof oauthHandlers>

const notYet: Handler = () => apiError(501, 'Not Implemented in the mock yet')

const implemented: Partial<Record<ApiEndpointId, Handler>> = {
  usersGet: (request, context, token) => {
    const ids = request.query.getAll('id').map(Number)
    const wanted = ids.length ? ids : token?.userId !== undefined ? [token.userId] : []
    return ok(
      wanted.flatMap((id) => context.state.users.get(id) ?? []).map(({ is_verified: _, ...user }) => user),
    )
  },
  publicKey: (_request, context) => ok({ public_key: context.devKey.publicKeyPem }),
}

export const apiHandlers = Object.fromEntries(
  endpointIds()
    .filter((id) => !(id in oauthHandlers))
    .map((id) => [id, implemented[id as ApiEndpointId] ?? notYet]),
) as Record<ApiEndpointId, Handler>
