import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from 'node:http'
import { connect, type Socket } from 'node:net'
import { pipeline } from 'node:stream'

import { KickError } from '../../errors.js'
import { parseUrl } from '../../input/url.js'
import { AnswerTooLargeError, failureReason, formatBytes, httpRequest } from '../../kick/http.js'
import {
  localtunnelServer,
  reconnectDelayMs,
  TunnelHealth,
  type Tunnel,
  type TunnelOptions,
  type TunnelStart,
} from './tunnel.js'

/** A tunnel connection that stays open this long (or carries a request) works: it resets the backoff. */
const STABLE_MS = 2_000
/** Connections kept open at most, whatever the server offers (its own default is 10). */
const MAX_CONNECTIONS = 10
/** A tunnel's description is about 100 bytes: anything near this is not one. */
const MAX_ANSWER_BYTES = 64 * 1024
/** Registering again after the server was lost: each attempt is bounded, then retried with backoff. */
const REREGISTER_TIMEOUT_MS = 10_000
const CONNECT_TIMEOUT_MS = 10_000

/**
 * localtunnel (https://localtunnel.me, or a self-hosted server with `--tunnel-host`), kick's own client of its
 * protocol: `GET /?new` answers `{id, port, max_conn_count, url}`; the client keeps up to `max_conn_count`
 * TCP connections open to that port, and the server writes each request for the public URL into one of them.
 * Each connection is read as HTTP here and each request passed to the listener on its own local connection,
 * so a listener that closes idle connections (as `kick listen` does) never drops a tunnel connection.
 */
export function startLocaltunnel(options: TunnelOptions): TunnelStart {
  const client = new LocaltunnelClient(options)
  return { tunnel: client.open(), abort: () => client.close() }
}

/** What a localtunnel server answers to `GET /?new` (or `GET /<id>`), checked. */
interface Registration {
  id: string
  port: number
  connections: number
  url: string
}

interface TunnelConnection {
  connected: boolean
  /** it stayed open STABLE_MS or carried a request: its closing is routine, not a lost server */
  working: boolean
  stable?: NodeJS.Timeout
}

class LocaltunnelClient {
  private readonly server: URL
  /** the server's name, as messages show it (never its userinfo) */
  private readonly serverName: string
  private readonly health: TunnelHealth
  private readonly gateway: Server
  private readonly connections = new Map<Socket, TunnelConnection>()
  private registration?: Registration
  private registering?: AbortController
  private retry?: NodeJS.Timeout
  private attempt = 0
  /** the port was refused: the server has forgotten this tunnel (it restarted), so ask for it again */
  private forgotten = false
  /** until the first connection works, failures are the start's, not the health's */
  private started = false
  private closed = false

  constructor(private readonly options: TunnelOptions) {
    this.server = localtunnelServer(options.tunnelHost)
    this.serverName = `${this.server.origin}${this.server.pathname.replace(/\/$/, '')}`
    this.health = new TunnelHealth('localtunnel', options)
    // Parses what the server writes into each connection; it never listens itself. No timeouts: a tunnel
    // connection waits, idle, for as long as the server keeps it.
    this.gateway = createServer({ requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0 }, (req, res) =>
      this.pass(req, res),
    )
  }

  async open(): Promise<Tunnel> {
    let registration: Registration
    try {
      // the start's own timeout (index.ts) speaks first, with its advice
      registration = await this.register('?new', this.options.timeoutMs + 5_000)
      this.registration = registration
      await this.firstConnection(registration)
    } catch (error) {
      this.close()
      throw error
    }
    this.started = true
    this.fill()
    return {
      url: registration.url,
      lost: this.health.lost,
      close: async () => this.close(),
    }
  }

  close(): void {
    this.closed = true
    this.health.close()
    clearTimeout(this.retry)
    this.registering?.abort(new Error('closed'))
    for (const [socket, connection] of this.connections) {
      clearTimeout(connection.stable)
      socket.destroy()
    }
    this.connections.clear()
  }

  /** Asks the server for a tunnel: `?new` for any name, or the name this tunnel had. */
  private async register(path: string, timeoutMs: number): Promise<Registration> {
    const where = `the localtunnel server at ${this.serverName}`
    this.registering = new AbortController()
    let answer
    try {
      answer = await httpRequest(new URL(path, this.server), {
        headers: { accept: 'application/json' },
        timeoutMs,
        signal: this.registering.signal,
        maxBytes: MAX_ANSWER_BYTES,
      })
    } catch (error) {
      if (error instanceof AnswerTooLargeError)
        throw new KickError(`${where} answered more than ${formatBytes(MAX_ANSWER_BYTES)}: not a tunnel`)
      const advice = this.options.tunnelHost ? 'check --tunnel-host' : 'check the network'
      throw new KickError(`${where} cannot be reached (${failureReason(error)}): ${advice}`)
    } finally {
      this.registering = undefined
    }
    let body: unknown
    try {
      body = JSON.parse(answer.text)
    } catch {
      body = undefined
    }
    if (answer.status !== 200) {
      const said = typeof (body as { message?: unknown })?.message === 'string'
      const message = said ? `: ${oneLine((body as { message: string }).message)}` : ''
      throw new KickError(`${where} refused the tunnel (HTTP ${answer.status}${message})`)
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new KickError(`${where} answered something other than a tunnel (not a JSON object)`)
    return checkRegistration(body as Record<string, unknown>, where)
  }

  /** The first connection says whether the port works: the start fails when it does not. */
  private firstConnection(registration: Registration): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.connect(registration.port)
      socket.once('connect', () => resolve())
      socket.once('error', (error) => {
        reject(
          new KickError(
            `the localtunnel server at ${this.serverName} gave port ${registration.port}, which ${refusal(error)}`,
          ),
        )
      })
    })
  }

  /** Opens connections until the server's number is open (or opening). */
  private fill(): void {
    if (this.closed || this.retry || !this.registration) return
    while (this.connections.size < this.registration.connections) this.connect(this.registration.port)
  }

  private connect(port: number): Socket {
    const host = this.server.hostname.replace(/^\[(.*)\]$/, '$1')
    const socket = connect({ host, port })
    const connection: TunnelConnection = { connected: false, working: false }
    this.connections.set(socket, connection)
    let failure = 'the server closed the connection'
    let refused = false
    // a port that drops what is sent to it would leave the connection waiting minutes for the system's timeout
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    )
    socket.once('connect', () => {
      connection.connected = true
      socket.setTimeout(0)
      // a connection the server lost without closing it (a network gone) shows up, in time, as an error
      socket.setKeepAlive(true, 30_000)
      connection.stable = setTimeout(() => this.working(socket), STABLE_MS)
      this.gateway.emit('connection', socket)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failure = connection.connected
        ? `the connection failed (${failureReason(error)})`
        : refusal(error, port)
      refused = !connection.connected && error.code === 'ECONNREFUSED'
    })
    socket.once('close', () => {
      clearTimeout(connection.stable)
      this.connections.delete(socket)
      // a connection to the port of a registration since replaced says nothing about the new one
      if (this.closed || !this.started || port !== this.registration?.port) return
      if (connection.working) return this.fill()
      const forgotNow = refused && !this.forgotten
      if (refused) this.forgotten = true
      this.failed(failure, forgotNow)
    })
    return socket
  }

  private working(socket: Socket): void {
    const connection = this.connections.get(socket)
    if (!connection || connection.working) return
    connection.working = true
    clearTimeout(connection.stable)
    this.attempt = 0
    this.forgotten = false
    this.health.up()
  }

  /**
   * A connection that did not work, or a registration that failed: try again later, with backoff. The
   * moment the port is first refused, the tunnel is registered again at once (no reason to wait for it).
   */
  private failed(reason: string, registerNow = false): void {
    if (!this.live()) this.health.down(reason)
    if (this.retry || this.closed) return
    this.retry = setTimeout(
      () => {
        this.retry = undefined
        this.repair().catch((error: Error) => this.failed(error.message))
      },
      registerNow ? 0 : reconnectDelayMs(this.attempt++),
    )
  }

  private live(): boolean {
    return [...this.connections.values()].some((connection) => connection.connected)
  }

  private async repair(): Promise<void> {
    if (this.closed || !this.registration) return
    if (this.forgotten && !this.live()) {
      const again = await this.register(this.registration.id, REREGISTER_TIMEOUT_MS).catch((error: Error) => {
        // the server itself is not back yet: say why in its own words, without the start's advice
        throw new Error(error.message.replace(/: check (--tunnel-host|the network)$/, ''))
      })
      if (this.closed) return
      if (again.url !== this.registration.url) {
        this.health.gone(`its server gave it another URL (${again.url}) when it came back`)
        return this.close()
      }
      // still `forgotten` until a connection works: a new port that refuses too waits its backoff
      this.registration = again
    }
    this.fill()
  }

  /** One request from the public side, passed to the listener on a connection of its own. */
  private pass(req: IncomingMessage, res: ServerResponse): void {
    this.working(req.socket)
    const local = request({
      host: this.options.localHost.replace(/^\[(.*)\]$/, '$1'),
      port: this.options.localPort,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.headers),
      agent: false,
    })
    local.once('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndRaw(answer.rawHeaders))
      pipeline(answer, res, () => undefined)
    })
    local.once('error', () => {
      if (res.headersSent) return void res.destroy()
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('kick: the local listener did not answer\n')
    })
    pipeline(req, local, () => undefined)
  }
}

/** The checked fields of a registration; anything else is one clear line naming what is wrong. */
function checkRegistration(body: Record<string, unknown>, where: string): Registration {
  const wrong = (field: string, expected: string): KickError =>
    new KickError(
      `${where} answered something other than a tunnel ("${field}" is ${shown(body[field])}, expected ${expected})`,
    )
  const { id, port, url } = body
  const connections = body.max_conn_count ?? 1
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(id)) throw wrong('id', 'a tunnel name')
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw wrong('port', 'a TCP port')
  if (typeof connections !== 'number' || !Number.isInteger(connections) || connections < 1)
    throw wrong('max_conn_count', 'a positive whole number')
  const address = typeof url === 'string' ? parseUrl(url) : undefined
  if (
    !address ||
    (address.protocol !== 'http:' && address.protocol !== 'https:') ||
    address.pathname !== '/' ||
    address.search ||
    address.username
  )
    throw wrong('url', 'the http(s) URL of the tunnel')
  return { id, port, connections: Math.min(connections, MAX_CONNECTIONS), url: address.origin }
}

/** Why a connection to the server's port failed, said of the port. */
function refusal(error: NodeJS.ErrnoException, port?: number): string {
  const subject = port === undefined ? '' : `port ${port} `
  return error.code === 'ECONNREFUSED'
    ? `${subject}refused the connection (ECONNREFUSED)`
    : `${subject}cannot be reached (${failureReason(error)})`
}

/** A value from the server, short, for a message (the message is made inert before it is printed). */
function shown(value: unknown): string {
  if (value === undefined) return 'missing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** Headers that describe one connection, not the request: each hop sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
])

function endToEnd(headers: IncomingMessage['headers']): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  )
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  )
}

function endToEndRaw(raw: string[]): string[] {
  const kept: string[] = []
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (!HOP_BY_HOP.has(raw[index]!.toLowerCase())) kept.push(raw[index]!, raw[index + 1]!)
  }
  return kept
}
