import type { Handler } from '../context.js'
import { badRequest, ok } from '../http.js'
import { type ApiEndpointId, intList, userOf } from './params.js'

export const usersHandlers = {
  usersGet: (request, { state }, token) => {
    const ids = intList(request.query, 'id')
    // The rule of GET /public/v1/channels (KDD#140) in the same shape; Kick's own body here is not observed
    // (docs/kick-behaviour.md lists it among the mock's inventions).
    if (!ids.length && token?.kind !== 'user') badRequest('id is required for app tokens')
    const wanted = ids.length ? ids : [userOf(token)]
    return ok(
      wanted.flatMap((id) => {
        const user = state.user(id)
        if (!user) return []
        // the email address only for the token's own user
        const email = token?.kind === 'user' && token.userId === id ? user.email : ''
        return [{ user_id: user.user_id, name: user.name, email, profile_picture: user.profile_picture }]
      }),
    )
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>
