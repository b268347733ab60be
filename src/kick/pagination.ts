/** One page of a cursor-paged list: its items and the cursor of the next page, if any. */
export interface Page<T> {
  items: T[]
  cursor?: string
}

/**
 * The one cursor walk (`pages()` and `kick api --paginate` share it): the first page is fetched with no
 * cursor, then each next one until the last page, an empty page or a cursor seen before (a server that
 * loops). `fetchPage` answering undefined stops the walk. Without `follow`, `onMore` hears the next cursor.
 */
export async function* followCursor<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T> | undefined>,
  follow = true,
  onMore?: (cursor: string) => void,
): AsyncGenerator<T[]> {
  const seen = new Set<string>()
  let cursor: string | undefined
  for (;;) {
    const page = await fetchPage(cursor)
    if (!page) return
    yield page.items
    const next = page.items.length > 0 ? page.cursor : undefined
    if (!follow) {
      if (next) onMore?.(next)
      return
    }
    if (!next || seen.has(next)) return
    seen.add(next)
    cursor = next
  }
}
