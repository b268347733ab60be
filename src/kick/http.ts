import http, { type IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'

/**
 * One HTTP/1.1 exchange over node:http or node:https, the body read whole: what every part of kick that
 * talks HTTP uses (the Kick client, the public-key fetch, `--forward-to`, `kick trigger`, the mock's
 * deliveries).
 *
 * Why not fetch (or ky, which is built on it): on Node 20 the first touch of fetch, Request or Headers
 * evaluates undici (http2, tls, web streams: ~24 ms), and its first request compiles undici's WebAssembly
 * HTTP parser: ~60 ms in all, more than the rest of a command's start-up. Loading node:http and making a
 * first request with it costs ~10 ms. `npm run bench` measures a real command (issue 6).
 */
export interface HttpRequest {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** the whole exchange, connection to last byte; past it the request fails with a TimeoutError */
  timeoutMs: number
  /** aborts the exchange; it fails with the signal's reason */
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  statusText: string
  /** names lower-cased, in the order the server sent them; repeated names stay repeated */
  headers: [name: string, value: string][]
  text: string
}

/** The exchange took longer than its timeout. */
export class TimeoutError extends Error {
  override name = 'TimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`)
  }
}

export async function httpRequest(url: URL | string, request: HttpRequest): Promise<HttpResponse> {
  const target = typeof url === 'string' ? new URL(url) : url
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`cannot send a request to a ${target.protocol} URL`)
  }
  const headers: Record<string, string | number> = { ...request.headers }
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body)
  try {
    return await exchange(target, headers, request)
  } catch (error) {
    // Node keeps connections alive between requests; one the server closed while idle fails the next
    // request before any answer (ECONNRESET/EPIPE on a reused socket). The request never reached a live
    // connection, so it goes once more on a fresh one, as Node's documentation advises.
    if (!(error instanceof StaleConnection)) throw error
    return exchange(target, headers, request)
  }
}

/** A reused keep-alive connection that turned out closed: nothing was answered on it. */
class StaleConnection extends Error {
  constructor(readonly cause: NodeJS.ErrnoException) {
    super(cause.message)
  }

  get code(): string | undefined {
    return this.cause.code
  }
}

function exchange(
  target: URL,
  headers: Record<string, string | number>,
  request: HttpRequest,
): Promise<HttpResponse> {
  const transport = target.protocol === 'https:' ? lazy<typeof import('node:https')>('node:https') : http
  return new Promise<HttpResponse>((resolve, reject) => {
    request.signal?.throwIfAborted()
    const outgoing = transport.request(target, { method: request.method ?? 'GET', headers })
    let answered = false
    const fail = (error: Error): void => {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', abort)
      outgoing.destroy()
      const code = (error as NodeJS.ErrnoException).code
      const stale = outgoing.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE')
      reject(stale ? new StaleConnection(error) : error)
    }
    const timer = setTimeout(() => fail(new TimeoutError(request.timeoutMs)), request.timeoutMs)
    const abort = (): void => fail(asError(request.signal?.reason))
    request.signal?.addEventListener('abort', abort, { once: true })

    outgoing.on('error', fail)
    outgoing.on('response', (incoming) => {
      answered = true
      readBody(incoming).then((text) => {
        clearTimeout(timer)
        request.signal?.removeEventListener('abort', abort)
        resolve({
          status: incoming.statusCode ?? 0,
          statusText: incoming.statusMessage ?? '',
          headers: headerPairs(incoming.rawHeaders),
          text,
        })
      }, fail)
    })
    outgoing.end(request.body)
  })
}

/** Why an exchange failed, in Node's word for it where there is one (`ECONNREFUSED`), else its message. */
export function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return (error as NodeJS.ErrnoException).code ?? error.message
}

/** The value of a header (the first, when repeated). */
export function headerValue(response: HttpResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1]
}

/** The body as text; a compressed one (sent although we never ask for it) is decompressed. */
async function readBody(incoming: IncomingMessage): Promise<string> {
  // events rather than `for await`: the stream's async iterator costs a first-use compile on every start
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => resolve(Buffer.concat(chunks)))
    incoming.on('error', reject)
    incoming.on('close', () => {
      if (!incoming.complete) reject(new Error('the connection closed before the whole answer came'))
    })
  })
  const encoding = (incoming.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  if (encoding === 'identity' || body.length === 0) return body.toString('utf8')
  const zlib = lazy<typeof import('node:zlib')>('node:zlib')
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(body).toString('utf8')
  if (encoding === 'deflate') return zlib.inflateSync(body).toString('utf8')
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8')
  throw new Error(`the answer is encoded as ${encoding}, which kick cannot read`)
}

function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = []
  for (let index = 0; index + 1 < raw.length; index += 2)
    pairs.push([raw[index]!.toLowerCase(), raw[index + 1]!])
  return pairs
}

/**
 * https (which loads tls) and zlib are required when first needed: a loopback server (the mock, tests,
 * benches) needs neither. require, not import(): from the bundle, import() starts Node's ES module loader.
 */
const requireLater = createRequire(import.meta.url)
const lazy = <T>(name: string): T => requireLater(name) as T

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'))
}
