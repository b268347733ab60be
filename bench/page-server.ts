// A loopback API that pages `/<total>/public/v2/categories` 1,000 items at a time with `next_cursor`, for the
// paginate memory figure. Prints its URL on stdout.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench')
  const total = Number(url.pathname.split('/')[1])
  const limit = Number(url.searchParams.get('limit') ?? 25)
  const offset = Number(url.searchParams.get('cursor') ?? 0)
  const end = Math.min(offset + limit, total)
  const data = []
  for (let id = offset; id < end; id++) {
    data.push({
      id,
      name: `Category ${id}`,
      tags: ['bench', 'paginate'],
      thumbnail: `https://files.kick.com/c/${id}.webp`,
    })
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(
    JSON.stringify({ data, message: 'OK', pagination: { next_cursor: end < total ? String(end) : '' } }),
  )
})
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`),
)
