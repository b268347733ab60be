import type { Handler } from '../context.js'
import { badRequest, notFound, ok } from '../http.js'
import type { MockCategory, MockState } from '../state.js'
import { type ApiEndpointId, intList, intParam, page, stringList } from './params.js'

function categoryViewers(state: MockState, category: MockCategory): number {
  return state
    .liveChannels()
    .reduce((sum, c) => sum + (c.category_id === category.id ? c.viewer_count : 0), 0)
}

export const categoriesHandlers = {
  categoriesList: (request, { state }) => {
    const query = request.query
    const names = stringList(query, 'name').map((name) => name.toLowerCase())
    const tags = stringList(query, 'tag')
    const ids = intList(query, 'id')
    const limit = intParam(query, 'limit', 1, 1000, 25)
    const matching = [...state.categories.values()].filter(
      (c) =>
        (!names.length || names.some((name) => c.name.toLowerCase().includes(name))) &&
        (!tags.length || tags.some((tag) => c.tags.includes(tag))) &&
        (!ids.length || ids.includes(c.id)),
    )
    const { data, pagination } = page(matching, query, limit)
    return ok(
      data.map(({ id, name, tags, thumbnail }) => ({ id, name, tags, thumbnail })),
      { pagination },
    )
  },

  categoriesSearch: (request, { state }) => {
    const q = (request.query.get('q') ?? '').trim().toLowerCase()
    if (!q) badRequest('q is required')
    const pageNumber = intParam(request.query, 'page', 1, 10_000, 1)
    const size = 25
    const matching = [...state.categories.values()].filter((c) => c.name.toLowerCase().includes(q))
    return ok(
      matching
        .slice((pageNumber - 1) * size, pageNumber * size)
        .map(({ id, name, thumbnail }) => ({ id, name, thumbnail })),
    )
  },

  categoriesGet: (request, { state }) => {
    const id = request.params.category_id ?? ''
    if (!/^\d+$/.test(id)) badRequest('category_id must be an integer')
    const category = state.category(Number(id))
    if (!category) notFound('category')
    return ok({
      id: category.id,
      name: category.name,
      tags: category.tags,
      thumbnail: category.thumbnail,
      viewer_count: categoryViewers(state, category),
    })
  },
} satisfies Partial<Record<ApiEndpointId, Handler>>
