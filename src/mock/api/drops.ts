import type { Handler } from '../context.js'
import { badRequest, jsonBody, noContent, ok } from '../http.js'
import { isoSeconds } from '../seed.js'
import { type ApiEndpointId, intList, intParam } from './params.js'

export const dropsHandlers = {
  dropsClaimsList: (request, { state }) => {
    const query = request.query
    const limit = intParam(query, 'limit', 1, 1000, 10)
    const userId = query.get('user_id') ? intList(query, 'user_id')[0] : undefined
    const matching = [...state.dropsClaims.values()].filter(
      (claim) =>
        (!query.get('campaign_id') || claim.campaign_id === query.get('campaign_id')) &&
        (userId === undefined || claim.user_id === userId) &&
        (!query.get('claim_id') || claim.claim_id === query.get('claim_id')) &&
        (!query.get('external_status') || claim.external_status === query.get('external_status')),
    )
    // the drops cursor is a claim id: the page starts after it, and `data.cursor` names the next one
    const cursor = query.get('cursor')
    let start = 0
    if (cursor) {
      const index = matching.findIndex((claim) => claim.claim_id === cursor)
      if (index < 0) badRequest('cursor is not a claim id of this listing')
      start = index + 1
    }
    const claims = matching.slice(start, start + limit)
    const more = start + limit < matching.length
    return ok({ claims, cursor: more ? claims[claims.length - 1]!.claim_id : null })
  },

  dropsClaimsUpdate: (request, { state }) => {
    const body = jsonBody(request)
    const claims = body.claims
    if (!Array.isArray(claims) || claims.length < 1 || claims.length > 100)
      badRequest('claims must be a list of 1 to 100 {claim_id, external_status}')
    const updates = (claims as unknown[]).map((item, i) => {
      const claim = (item ?? {}) as Record<string, unknown>
      const extra = Object.keys(claim).filter((key) => key !== 'claim_id' && key !== 'external_status')
      if (extra.length) badRequest(`claims[${i}] has unknown field ${extra.join(', ')}`)
      if (typeof claim.claim_id !== 'string' || !state.dropsClaims.has(claim.claim_id))
        badRequest(`claims[${i}].claim_id is not a known claim`)
      if (typeof claim.external_status !== 'string' || claim.external_status === '')
        badRequest(`claims[${i}].external_status must be a non-empty string`)
      return claim as { claim_id: string; external_status: string }
    })
    const now = isoSeconds(Date.now())
    for (const update of updates) {
      const claim = state.dropsClaims.get(update.claim_id)!
      claim.external_status = update.external_status
      claim.updated_at = now
    }
    return noContent()
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>
