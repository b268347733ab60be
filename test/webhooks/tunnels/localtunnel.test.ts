import { createServer as createHttpServer, get, type Server as HttpServer } from 'node:http'
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
  type Socket,
} from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

import {
  type LocaltunnelServer,
  SERVER_CONNECTIONS,
  startLocaltunnelServer,
  stopLocaltunnelServers,
} from '../../helpers/localtunnel-server.js'
import { runKick } from '../../helpers/run-kick.js'
import {
  type Answer,
  delivery,
  freshKey,
  post,
  type Running,
  startKick,
  stopKick,
  until,
} from '../helpers.js'

const key = freshKey()
let running: Running | undefined
const servers: (HttpServer | TcpServer)[] = []
const sockets: Socket[] = []
afterEach(async () => {
  await stopKick(running)
  running = undefined
  await stopLocaltunnelServers()
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

const listenOn = (server: HttpServer | TcpServer, port = 0): Promise<number> => {
  servers.push(server)
  server.on('connection', (socket: Socket) => sockets.push(socket))
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

const WEBHOOK_URL =
  /Webhook URL for your Kick app \(Kick has no API to set it\): (http:\/\/([a-z0-9-]+)\.lt\.test)\/kick\n/

/** `kick listen` through a localtunnel server; resolves with the tunnel's public URL and name. */
async function listenThrough(
  server: { url: string },
  env: Record<string, string> = {},
): Promise<{ kick: Running; publicUrl: string; id: string }> {
  const kick = (running = await startKick(
    [
      'listen',
      '--public-key-file',
      key.pemFile,
      '--tunnel',
      'localtunnel',
      '--tunnel-host',
      server.url,
      '--path',
      '/kick',
    ],
    env,
  ))
  const match = WEBHOOK_URL.exec(kick.stderr())
  if (!match) throw new Error(`no webhook URL in the banner:\n${kick.stderr()}`)
  return { kick, publicUrl: match[1]!, id: match[2]! }
}

/** How many tunnel connections the server holds for a tunnel (its own status API); 0 when it cannot say. */
function connectedSockets(server: LocaltunnelServer, id: string): Promise<number> {
  return new Promise((resolve) => {
    get(`${server.url}/api/tunnels/${id}/status`, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        try {
          resolve((JSON.parse(body) as { connected_sockets: number }).connected_sockets)
        } catch {
          resolve(0)
        }
      })
    }).on('error', () => resolve(0))
  })
}

/** A signed delivery sent to the public side: the server, with the tunnel's name as Host, as Kick sends it. */
function sendPublic(server: LocaltunnelServer, publicUrl: string): { id: string; answer: Promise<Answer> } {
  const d = delivery(key.privateKey)
  const host = new URL(publicUrl).host
  return { id: d.id, answer: post(`${server.url}/kick`, { ...d.headers, host }, d.body) }
}

describe('kick listen --tunnel localtunnel, against a real localtunnel server on loopback', () => {
  it('registers, opens the connections the server allows, and a signed delivery sent to the public URL is printed', async () => {
    const server = await startLocaltunnelServer()
    const { kick, publicUrl, id } = await listenThrough(server)
    expect(publicUrl).toBe(`http://${id}.lt.test`)
    let held = 0
    const deadline = Date.now() + 15_000
    while (held < SERVER_CONNECTIONS && Date.now() < deadline) {
      held = await connectedSockets(server, id)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(held).toBe(SERVER_CONNECTIONS)

    const sent = sendPublic(server, publicUrl)
    expect(await sent.answer).toEqual({ status: 200, body: '' })
    await until(() => kick.events().length === 1, 'the event on stdout')
    expect(kick.events()[0]!.id).toBe(sent.id)
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    expect(kick.stderr()).not.toMatch(/Warning|Error/)
  })

  it('carries several deliveries at once, each printed once', async () => {
    const server = await startLocaltunnelServer()
    const { kick, publicUrl } = await listenThrough(server)
    const sent = Array.from({ length: 12 }, () => sendPublic(server, publicUrl))
    const answers = await Promise.all(sent.map((one) => one.answer))
    expect(answers.map((answer) => answer.status)).toEqual(sent.map(() => 200))
    await until(() => kick.events().length === sent.length, 'the 12 events')
    expect(
      kick
        .events()
        .map((event) => event.id)
        .sort(),
    ).toEqual(sent.map((one) => one.id).sort())
    // and the tunnel still works afterwards (the server closes the connections it no longer needs)
    const after = sendPublic(server, publicUrl)
    expect((await after.answer).status).toBe(200)
    await until(() => kick.events().length === sent.length + 1, 'the last event')
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
  })

  it('the server going away: one warning, reconnection with backoff, the same URL again once it is back', async () => {
    const server = await startLocaltunnelServer()
    const { kick, publicUrl } = await listenThrough(server)
    await server.kill()
    const down = Date.now()
    await until(() => kick.stderr().includes('lost its server'), 'the warning')

    // while it is away, something on its port notes each attempt to register again and drops it
    const attempts: number[] = []
    const standIn = createTcpServer((socket) => {
      attempts.push(Date.now())
      socket.destroy()
    })
    await listenOn(standIn, server.port)
    await until(() => attempts.length >= 3, 'three attempts', 20_000)
    await new Promise((resolve) => standIn.close(resolve))
    servers.splice(servers.indexOf(standIn), 1)
    // 1 s, 2 s, 4 s apart (at least: a busy machine only makes them later), not a tight loop
    const gaps = attempts.slice(0, 3).map((at, i) => at - (i ? attempts[i - 1]! : down))
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(900 * 2 ** i))

    const back = await startLocaltunnelServer(server.port)
    await until(
      () => kick.stderr().includes('the localtunnel tunnel is connected again'),
      'the reconnection',
      30_000,
    )
    const sent = sendPublic(back, publicUrl)
    expect((await sent.answer).status).toBe(200)
    await until(() => kick.events().length === 1, 'the event')
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
    expect(kick.stderr().match(/^Warning:.*$/gm)).toEqual([
      expect.stringMatching(
        /^Warning: the localtunnel tunnel lost its server \(.*(ECONNREFUSED|ECONNRESET|closed).*\): reconnecting for up to 1m$/,
      ),
    ])
  }, 60_000)

  it('a server that never comes back: exit 1 naming the tunnel once the give-up time has passed', async () => {
    const server = await startLocaltunnelServer()
    const { kick, publicUrl } = await listenThrough(server, { KICK_TUNNEL_GIVE_UP: '5s' })
    await server.kill()
    expect((await kick.exited).code).toBe(1)
    const lines = kick.stderr().trimEnd().split('\n')
    expect(lines.filter((line) => line.startsWith('Warning:'))).toHaveLength(1)
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^Error: the localtunnel tunnel \\(${publicUrl.replace(/\./g, '\\.')}\\) is gone: no connection to its server for 5s \\(.*ECONNREFUSED.*\\): Kick can no longer reach this listener$`,
      ),
    )
  })
  it('a server that comes back and gives the tunnel another name: exit 1, since the URL Kick has is dead', async () => {
    const server = await startLocaltunnelServer()
    const { kick, publicUrl, id } = await listenThrough(server)
    await server.kill()
    const asked: string[] = []
    const other = createHttpServer((req, res) => {
      asked.push(req.url ?? '')
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({ id: 'other-name', port: 9, max_conn_count: 1, url: 'http://other-name.lt.test' }),
      )
    })
    await listenOn(other, server.port)
    expect((await kick.exited).code).toBe(1)
    expect(asked).toEqual([`/${id}`])
    expect(kick.stderr().trimEnd().split('\n').at(-1)).toBe(
      `Error: the localtunnel tunnel (${publicUrl}) is gone: its server gave it another URL ` +
        '(http://other-name.lt.test) when it came back: Kick can no longer reach this listener',
    )
  })
})

describe('kick listen --tunnel localtunnel, when the server answers garbage', () => {
  /** A server answering `GET /?new` with `status` and `body`; notes what it was asked. */
  async function answering(status: number, body: string | Buffer): Promise<{ url: string; asked: string[] }> {
    const asked: string[] = []
    const server = createHttpServer((req, res) => {
      asked.push(req.url ?? '')
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(body)
    })
    return { url: `http://127.0.0.1:${await listenOn(server)}`, asked }
  }

  const listen = (url: string, ...more: string[]) =>
    runKick(
      ['listen', '--public-key-file', key.pemFile, '--tunnel', 'localtunnel', '--tunnel-host', url, ...more],
      { timeoutMs: 20_000 },
    )

  const tunnel = (port: number, fields: Record<string, unknown> = {}): string =>
    JSON.stringify({ id: 'quiet-fox', port, max_conn_count: 2, url: 'http://quiet-fox.lt.test', ...fields })

  it('each is one clear error line and exit 1', async () => {
    const closed = createTcpServer()
    const closedPort = await listenOn(closed)
    await new Promise((resolve) => closed.close(resolve))
    servers.splice(servers.indexOf(closed), 1)

    const cases: [string | Buffer, string, number?][] = [
      ['{"id": "quiet-fox", "port": ', 'answered something other than a tunnel (not a JSON object)'],
      ['[1, 2, 3]', 'answered something other than a tunnel (not a JSON object)'],
      [Buffer.alloc(1024 * 1024, 'x'), 'answered more than 64 KiB: not a tunnel'],
      [
        tunnel(closedPort, { port: 'abc' }),
        'answered something other than a tunnel ("port" is "abc", expected a TCP port)',
      ],
      [
        tunnel(closedPort, { port: 70_000 }),
        'answered something other than a tunnel ("port" is 70000, expected a TCP port)',
      ],
      [
        tunnel(closedPort, { url: undefined }),
        'answered something other than a tunnel ("url" is missing, expected the http(s) URL of the tunnel)',
      ],
      [
        tunnel(closedPort, { url: 'javascript:alert(1)' }),
        'answered something other than a tunnel ("url" is "javascript:alert(1)", expected the http(s) URL of the tunnel)',
      ],
      [
        tunnel(closedPort, { id: '../../x' }),
        'answered something other than a tunnel ("id" is "../../x", expected a tunnel name)',
      ],
      [
        tunnel(closedPort, { max_conn_count: -1 }),
        'answered something other than a tunnel ("max_conn_count" is -1, expected a positive whole number)',
      ],
      [tunnel(closedPort), `gave port ${closedPort}, which refused the connection (ECONNREFUSED)`],
      [
        '{"message": "no more tunnels\\u001b[31m today"}',
        'refused the tunnel (HTTP 503: no more tunnels\\e[31m today)',
        503,
      ],
      ['<html>bad gateway</html>', 'refused the tunnel (HTTP 502)', 502],
    ]
    for (const [body, message, status] of cases) {
      const server = await answering(status ?? 200, body)
      const result = await listen(server.url)
      expect(result.code, result.stderr).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toBe(`Error: the localtunnel server at ${server.url} ${message}\n`)
      expect(server.asked).toEqual(['/?new'])
    }

    const unreachable = await listen(`http://127.0.0.1:${closedPort}`)
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toBe(
      `Error: the localtunnel server at http://127.0.0.1:${closedPort} cannot be reached (ECONNREFUSED): check --tunnel-host\n`,
    )
  }, 120_000)

  it('opens at most 10 connections, whatever the server offers', async () => {
    const held: Socket[] = []
    const tcp = createTcpServer((socket) => held.push(socket))
    const tcpPort = await listenOn(tcp)
    const server = await answering(200, tunnel(tcpPort, { max_conn_count: 100_000 }))
    const { kick } = await listenThrough(server)
    await until(() => held.length >= 10, '10 connections')
    // no more come: a connection closed by the server is replaced, one at a time
    held[0]!.destroy()
    await until(() => held.length === 11, 'the replacement')
    expect(held.filter((socket) => !socket.destroyed)).toHaveLength(10)
    kick.child.kill('SIGINT')
    expect((await kick.exited).code).toBe(0)
  })

  it('times out against a server that never answers, and --tunnel-host must be an http(s) URL', async () => {
    const silent = createHttpServer(() => undefined)
    const port = await listenOn(silent)
    const result = await listen(`http://127.0.0.1:${port}`, '--tunnel-timeout', '1s')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'Error: the localtunnel tunnel did not open within 1s: check the network and --tunnel-host, or run your own tunnel and pass --public-url\n',
    )

    const ftp = await listen('ftp://lt.example.com')
    expect(ftp.code).toBe(2)
    expect(ftp.stderr).toBe(
      'Error: --tunnel-host ftp://lt.example.com: expected the http(s) URL of a localtunnel server\n',
    )
  })
})
