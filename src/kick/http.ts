import http, { type ClientRequest, type IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import { isIP } from 'node:net'

import { bareHost, describeProxy, type Proxy, proxyFor } from './proxy.js'

/**
 * One HTTP/1.1 exchange over node:http or node:https, the body read whole: what every part of kick that
 * talks HTTP uses (the Kick client, the public-key fetch, `--forward-to`, `kick trigger`, the mock's
 * deliveries, the update check), through the proxy the environment names (src/kick/proxy.ts): plain HTTP
 * in absolute form, HTTPS through a CONNECT tunnel, written here on node:http (a few lines, where an agent
 * package would be a dependency to load).
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
  /** the most the answer's body may be, after decompression (default {@link MAX_ANSWER_BYTES}) */
  maxBytes?: number
  /**
   * Read only this much of the answer's body, and drop the connection rather than read on: the answer is
   * what came by then (`truncated`), not an error. For a caller that needs little more than the status.
   */
  excerptBytes?: number
}

/**
 * What any answer may weigh, after decompression. Kick's largest real answers (a 1000-item page) are well
 * under 1 MiB; a larger one is a broken or hostile server, and a small gzip can inflate to gigabytes.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024

export interface HttpResponse {
  status: number
  statusText: string
  /** names lower-cased, in the order the server sent them; repeated names stay repeated */
  headers: [name: string, value: string][]
  text: string
  /** the body went on past `excerptBytes`: `text` is its beginning */
  truncated?: boolean
}

/** The answer's body (decompressed) was larger than the request allowed: reading stopped there. */
export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError'
  readonly limit: string
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${formatBytes(maxBytes)}`)
    this.limit = formatBytes(maxBytes)
  }
}

/** `32 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
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
  const proxy = proxyFor(target)
  return new Promise<HttpResponse>((resolve, reject) => {
    request.signal?.throwIfAborted()
    let outgoing: ClientRequest | undefined
    /** the CONNECT request that opens a tunnel through the proxy, while it is open */
    let tunnel: ClientRequest | undefined
    let answered = false
    const fail = (error: Error): void => {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', abort)
      tunnel?.destroy()
      outgoing?.destroy()
      const code = (error as NodeJS.ErrnoException).code
      const stale = outgoing?.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE')
      reject(stale ? new StaleConnection(error) : error)
    }
    /** A failure to reach the proxy, or of the proxy: the only host kick connects to when one applies. */
    const proxyFailed = (error: Error): void => {
      const code = (error as NodeJS.ErrnoException).code
      fail(
        proxy && code && !answered && !outgoing?.reusedSocket
          ? new ProxyError(proxy, describeCode(code))
          : error,
      )
    }
    const timer = setTimeout(() => fail(new TimeoutError(request.timeoutMs)), request.timeoutMs)
    const abort = (): void => fail(asError(request.signal?.reason))
    request.signal?.addEventListener('abort', abort, { once: true })

    const send = (made: ClientRequest, onError = fail): void => {
      outgoing = made
      outgoing.on('error', onError)
      outgoing.on('response', (incoming) => {
        answered = true
        const limit =
          request.excerptBytes !== undefined
            ? { maxBytes: request.excerptBytes, excerpt: true }
            : { maxBytes: request.maxBytes ?? MAX_ANSWER_BYTES, excerpt: false }
        readBody(incoming, limit).then(({ text, truncated }) => {
          clearTimeout(timer)
          request.signal?.removeEventListener('abort', abort)
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers: headerPairs(incoming.rawHeaders),
            text,
            ...(truncated && { truncated }),
          })
        }, fail)
      })
      outgoing.end(request.body)
    }
    const method = request.method ?? 'GET'
    if (!proxy) return send(transport.request(target, { method, headers }))
    const proxyHeaders = proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}
    const proxyAddress = { host: bareHost(proxy.url.hostname), port: proxy.url.port || 80 }
    if (target.protocol === 'http:') {
      // plain HTTP: the whole URL goes to the proxy (absolute form), which resolves and connects
      return send(
        http.request({
          ...proxyAddress,
          method,
          path: target.href,
          headers: { ...headers, host: target.host, ...proxyHeaders },
        }),
        proxyFailed,
      )
    }
    // HTTPS: a CONNECT tunnel to the target's host and port, then TLS to the target inside it. The proxy
    // resolves the name; kick never does.
    const authority = `${target.hostname}:${target.port || 443}`
    tunnel = http.request({
      ...proxyAddress,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyHeaders },
      agent: false,
    })
    tunnel.on('error', proxyFailed)
    tunnel.on('connect', (answer, socket) => {
      tunnel = undefined
      if (answer.statusCode !== 200) {
        socket.destroy()
        const status = `${answer.statusCode} ${answer.statusMessage ?? ''}`.trim()
        return fail(new ProxyError(proxy, `answered CONNECT ${authority} with ${status}`))
      }
      const tls = lazy<typeof import('node:tls')>('node:tls')
      send(
        transport.request(target, {
          method,
          headers,
          // with no agent, the default port (in the Host header) is not known to be https'
          defaultPort: 443,
          createConnection: () => {
            const host = bareHost(target.hostname)
            // the certificate is checked against the target's name (SNI carries names, not addresses)
            return tls.connect({ socket, host, servername: isIP(host) ? undefined : host })
          },
        }),
      )
    })
    tunnel.end()
  })
}

function describeCode(code: string): string {
  if (code === 'ECONNREFUSED') return 'it refused the connection (ECONNREFUSED)'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `its host was not found (${code})`
  if (code === 'ECONNRESET') return 'it closed the connection (ECONNRESET)'
  return code
}

/** The proxy refused, was not there, or failed: said naming the proxy (never its credentials). */
export class ProxyError extends Error {
  override name = 'ProxyError'
  constructor(proxy: Proxy, reason: string) {
    super(`through the proxy ${describeProxy(proxy)}: ${reason}`)
  }
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

/**
 * The body as text; a compressed one (sent although we never ask for it) is decompressed as it arrives.
 * Reading stops, and the connection is dropped, as soon as the body (raw, or decompressed) passes
 * `maxBytes`: a gzip bomb costs at most that much memory, never what it inflates to. With `excerpt`, passing it
 * is no error: the first `maxBytes` are the answer, and the rest is never read.
 */
function readBody(
  incoming: IncomingMessage,
  { maxBytes, excerpt }: { maxBytes: number; excerpt: boolean },
): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const encoding = (incoming.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
    const declared = Number(incoming.headers['content-length'])
    let decoder: import('node:stream').Transform | undefined
    try {
      decoder = decoderFor(encoding)
    } catch (error) {
      incoming.destroy()
      reject(error as Error)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      chunks.length = 0
      decoder?.destroy()
      incoming.destroy()
      reject(error)
    }
    const finish = (truncated = false): void => {
      if (settled) return
      settled = true
      if (truncated) {
        decoder?.destroy()
        incoming.destroy()
      }
      resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated })
    }
    const tooLarge = (): void => (excerpt ? finish(true) : fail(new AnswerTooLargeError(maxBytes)))
    if (declared > maxBytes && !excerpt) return fail(new AnswerTooLargeError(maxBytes))
    // events rather than `for await`: the stream's async iterator costs a first-use compile on every start
    const collect = (chunk: Buffer): void => {
      if (settled) return
      size += chunk.length
      if (size > maxBytes) {
        chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)))
        return tooLarge()
      }
      chunks.push(chunk)
    }
    let received = 0
    incoming.on('error', fail)
    incoming.on('close', () => {
      if (!incoming.complete) fail(new Error('the connection closed before the whole answer came'))
    })
    if (!decoder) {
      incoming.on('data', collect)
      incoming.on('end', () => finish())
      return
    }
    // The compressed bytes count too: a compressed body is never bigger than what it inflates to, except
    // for a hostile one that never ends.
    incoming.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) tooLarge()
    })
    incoming.pipe(decoder)
    decoder.on('data', collect)
    decoder.on('end', () => finish())
    decoder.on('error', (error) => {
      // an empty body (a HEAD, a 204) is empty whatever its Content-Encoding says
      if (received === 0) finish()
      else fail(new Error(`the ${encoding} answer is corrupt (${error.message})`))
    })
  })
}

/** A streaming decompressor for a Content-Encoding, or undefined for none. */
function decoderFor(encoding: string): import('node:stream').Transform | undefined {
  if (encoding === 'identity' || encoding === '') return undefined
  const zlib = lazy<typeof import('node:zlib')>('node:zlib')
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip()
  if (encoding === 'deflate') return zlib.createInflate()
  if (encoding === 'br') return zlib.createBrotliDecompress()
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
