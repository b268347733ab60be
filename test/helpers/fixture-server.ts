import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** the body parsed as JSON, or as a form when it is one */
  json?: unknown
  form?: URLSearchParams
}

export interface StubResponse {
  status?: number
  json?: unknown
  body?: string | Buffer
  headers?: Record<string, string>
  /** answer only after this long (a slow server) */
  delayMs?: number
}

type Responder = StubResponse | ((request: RecordedRequest) => StubResponse)

/**
 * A real HTTP server on loopback that answers queued stubs and records every request, like gh's
 * httpmock.Registry: a request nobody stubbed gets a 599 and fails `verify()`, and so does a stub nobody used.
 */
export class FixtureServer {
  readonly requests: RecordedRequest[] = []
  private readonly stubs = new Map<string, Responder[]>()
  private readonly unexpected: string[] = []

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FixtureServer> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const fixture = new FixtureServer(server, `http://127.0.0.1:${port}`)
    server.on('request', (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fixture')
        const body = Buffer.concat(chunks).toString('utf8')
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        }
        const type = req.headers['content-type'] ?? ''
        if (type.includes('json') && body) recorded.json = JSON.parse(body)
        if (type.includes('x-www-form-urlencoded')) recorded.form = new URLSearchParams(body)
        fixture.requests.push(recorded)
        const answer = fixture.answer(recorded)
        const send = (): void => {
          res.writeHead(answer.status ?? 200, {
            ...(answer.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...answer.headers,
          })
          res.end(answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? ''))
        }
        if (answer.delayMs) setTimeout(send, answer.delayMs)
        else send()
      })
    })
    return fixture
  }

  /** Queues answers for `METHOD /path`; each is used once, in order. */
  stub(method: string, path: string, ...responses: Responder[]): this {
    const key = `${method.toUpperCase()} ${path}`
    this.stubs.set(key, [...(this.stubs.get(key) ?? []), ...responses])
    return this
  }

  private answer(request: RecordedRequest): StubResponse {
    const queue = this.stubs.get(`${request.method} ${request.path}`)
    const next = queue?.shift()
    if (!next) {
      this.unexpected.push(`${request.method} ${request.path}`)
      return { status: 599, json: { message: `no stub for ${request.method} ${request.path}` } }
    }
    return typeof next === 'function' ? next(request) : next
  }

  /** Throws when a request came that nobody stubbed, or a stub was never asked for. */
  verify(): void {
    const unused = [...this.stubs]
      .filter(([, queue]) => queue.length > 0)
      .map(([key, queue]) => `${key} ×${queue.length}`)
    if (this.unexpected.length || unused.length) {
      throw new Error(
        `fixture server: unexpected [${this.unexpected.join(', ')}], unused [${unused.join(', ')}]`,
      )
    }
  }

  reset(): void {
    this.requests.length = 0
    this.stubs.clear()
    this.unexpected.length = 0
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** Kick's success envelope. */
export const ok = (data: unknown, extra: Record<string, unknown> = {}): StubResponse => ({
  json: { data, message: 'OK', ...extra },
})
