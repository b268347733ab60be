import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { BIN, ROOT, baseEnv, runKick } from '../helpers/run-kick.js'
import { delivery, freshKey, type Running, startKick, stopKick, until } from './helpers.js'

const key = freshKey()
let running: Running | undefined
const servers: (HttpServer | TcpServer)[] = []
afterEach(async () => {
  await stopKick(running)
  running = undefined
  for (const socket of connections.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const connections: Socket[] = []
const listenOn = <T extends HttpServer | TcpServer>(server: T): Promise<number> => {
  servers.push(server)
  server.on('connection', (socket: Socket) => connections.push(socket))
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

/**
 * A localtunnel server on loopback, speaking the protocol of the `localtunnel` client: `GET /?new` answers
 * the public URL and a TCP port; the client opens `max_conn_count` sockets to that port, and each request
 * for the public URL is written, raw, into one of them.
 */
async function fakeLocaltunnelServer(): Promise<{
  url: string
  requests: string[]
  sockets: Socket[]
  tcp: TcpServer
  tcpPort: number
}> {
  const sockets: Socket[] = []
  const requests: string[] = []
  const tcp = createTcpServer((socket) => sockets.push(socket))
  const tcpPort = await listenOn(tcp)
  const http = createHttpServer((req, res) => {
    requests.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({ id: 'quiet-fox', port: tcpPort, max_conn_count: 2, url: 'https://quiet-fox.loca.lt' }),
    )
  })
  const port = await listenOn(http)
  return { url: `http://127.0.0.1:${port}`, requests, sockets, tcp, tcpPort }
}

/** The tunnel server's TCP side goes away: its listening socket closed and every tunnel socket dropped. */
async function goAway(server: { tcp: TcpServer; sockets: Socket[] }): Promise<void> {
  await new Promise((resolve) => {
    server.tcp.close(resolve)
    for (const socket of server.sockets.splice(0)) socket.destroy()
  })
  servers.splice(servers.indexOf(server.tcp), 1)
}

/** Sends one raw HTTP request through a tunnel socket and reads the raw response. */
function throughTunnel(
  socket: Socket,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let response = ''
    const onData = (chunk: Buffer): void => {
      response += chunk.toString('utf8')
      const [head, rest] = response.split('\r\n\r\n')
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1])
      if (rest !== undefined && Buffer.byteLength(rest) >= length) {
        socket.off('data', onData)
        resolve(response)
      }
    }
    socket.on('data', onData).once('error', reject)
    const lines = [
      `POST ${path} HTTP/1.1`,
      'Host: quiet-fox.loca.lt',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
    ]
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`)
  })
}

/** A `cloudflared` on PATH that logs like the real one (or not at all), and notes its args, pid and env. */
function fakeCloudflared(behaviour: 'url' | 'silent' | 'fail'): {
  path: string
  argsFile: string
  pidFile: string
  envFile: string
} {
  const dir = mkdtempSync(join(tmpdir(), 'kick-cloudflared-'))
  const argsFile = join(dir, 'args')
  const pidFile = join(dir, 'pid')
  const envFile = join(dir, 'env')
  const body = {
    url: `echo "2026-01-01T00:00:00Z INF |  https://quiet-fox-lamp.trycloudflare.com                                  |" >&2`,
    silent: '',
    fail: 'echo "2026-01-01T00:00:00Z ERR failed to request quick Tunnel" >&2; exit 1',
  }[behaviour]
  writeFileSync(
    join(dir, 'cloudflared'),
    `#!/bin/sh\necho "$@" > '${argsFile}'\necho $$ > '${pidFile}'\nenv > '${envFile}'\n${body}\nexec sleep 60\n`,
  )
  chmodSync(join(dir, 'cloudflared'), 0o755)
  return { path: `${dir}:${process.env.PATH}`, argsFile, pidFile, envFile }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('kick listen tunnels', () => {
  it('localtunnel: asks the --tunnel-host server for a URL, names it in the banner, and receives through it', async () => {
    const server = await fakeLocaltunnelServer()
    running = await startKick([
      'listen',
      '--public-key-file',
      key.pemFile,
      '--tunnel',
      'localtunnel',
      '--tunnel-host',
      server.url,
      '--path',
      '/kick',
    ])
    expect(server.requests).toEqual(['/?new'])
    expect(running.stderr()).toContain(
      'Webhook URL for your Kick app (Kick has no API to set it): https://quiet-fox.loca.lt/kick',
    )
    await until(() => server.sockets.length === 2, 'the client to open its 2 tunnel sockets')

    const d = delivery(key.privateKey)
    const response = await throughTunnel(server.sockets[0]!, '/kick', d.headers, d.body)
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(response).toMatch(/\r\ncontent-length: 0\r\n/i)
    expect(response.endsWith('\r\n\r\n')).toBe(true)
    await until(() => running!.events().length === 1, 'the event on stdout')
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    expect(running.events().map((event) => event.id)).toEqual([d.id])
  })

  it('cloudflared: spawns the binary on PATH, reads its trycloudflare URL, and stops it at exit', async () => {
    const fake = fakeCloudflared('url')
    // kick's secrets stay with kick (issue 21 item 11)
    const secrets = {
      KICK_ACCESS_TOKEN: 'an-access-token-from-the-environment',
      KICK_CLIENT_SECRET: 'a-client-secret-from-the-environment',
      NGROK_AUTHTOKEN: 'an-ngrok-token-from-the-environment',
    }
    running = await startKick(['listen', '--public-key-file', key.pemFile, '--tunnel', 'cloudflared'], {
      PATH: fake.path,
      ...secrets,
    })
    const env = readFileSync(fake.envFile, 'utf8')
    expect(env).toContain(`PATH=${fake.path}`)
    for (const [name, value] of Object.entries(secrets)) {
      expect(env).not.toContain(name)
      expect(env).not.toContain(value)
    }
    expect(running.stderr()).toContain(
      'Webhook URL for your Kick app (Kick has no API to set it): https://quiet-fox-lamp.trycloudflare.com/',
    )
    const port = new URL(running.url).port
    expect(readFileSync(fake.argsFile, 'utf8').trim()).toBe(
      `tunnel --no-autoupdate --url http://127.0.0.1:${port}`,
    )
    const pid = Number(readFileSync(fake.pidFile, 'utf8'))
    expect(alive(pid)).toBe(true)
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    await until(() => !alive(pid), 'cloudflared to be stopped')
  })

  it('cloudflared: a clear error when it is not on PATH, when it fails, and when it never gives a URL', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kick-nopath-'))
    const missing = await runKick(['listen', '--tunnel', 'cloudflared'], { env: { PATH: empty } })
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toMatch(
      /^Error: --tunnel cloudflared needs the cloudflared binary on PATH: install it/m,
    )

    const failing = fakeCloudflared('fail')
    const failed = await runKick(['listen', '--tunnel', 'cloudflared'], { env: { PATH: failing.path } })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(
      'Error: cloudflared exited (exit 1) before opening a tunnel: 2026-01-01T00:00:00Z ERR failed to request quick Tunnel',
    )

    const silent = fakeCloudflared('silent')
    const slow = await runKick(['listen', '--tunnel', 'cloudflared', '--tunnel-timeout', '1s'], {
      env: { PATH: silent.path },
    })
    expect(slow.code).toBe(1)
    expect(slow.stderr).toContain(
      'Error: the cloudflared tunnel did not open within 1s: check the network, or run your own tunnel and pass --public-url',
    )
    const pid = Number(readFileSync(silent.pidFile, 'utf8'))
    await until(() => !alive(pid), 'the abandoned cloudflared to be stopped')
  })

  it('cloudflared: Ctrl-C while it is still connecting stops it and exits 0', async () => {
    const silent = fakeCloudflared('silent')
    const child = spawn(process.execPath, [BIN, 'listen', '--tunnel', 'cloudflared'], {
      cwd: ROOT,
      env: baseEnv({ PATH: silent.path }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await until(
        () => existsSync(silent.pidFile) && readFileSync(silent.pidFile, 'utf8').endsWith('\n'),
        'cloudflared to start',
      )
      const pid = Number(readFileSync(silent.pidFile, 'utf8'))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(stderr).toContain('stopped before the tunnel opened')
      await until(() => !alive(pid), 'cloudflared to be stopped')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('localtunnel: times out against a server that never answers', async () => {
    const silent = createHttpServer(() => undefined)
    const port = await listenOn(silent)
    const result = await runKick(
      [
        'listen',
        '--tunnel',
        'localtunnel',
        '--tunnel-host',
        `http://127.0.0.1:${port}`,
        '--tunnel-timeout',
        '1s',
      ],
      { timeoutMs: 20_000 },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Error: the localtunnel tunnel did not open within 1s')
  })

  it('ngrok: exit 2 without NGROK_AUTHTOKEN; a clear error or timeout when its server cannot be reached', async () => {
    const noToken = await runKick(['listen', '--tunnel', 'ngrok'], { env: { NGROK_AUTHTOKEN: undefined } })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toBe(
      'Error: --tunnel ngrok needs NGROK_AUTHTOKEN: copy yours from https://dashboard.ngrok.com/get-started/your-authtoken, or use --tunnel cloudflared|localtunnel\n',
    )

    const closed = createTcpServer()
    const closedPort = await listenOn(closed)
    await new Promise((resolve) => closed.close(resolve))
    servers.splice(servers.indexOf(closed), 1)
    const refused = await runKick(
      ['listen', '--tunnel', 'ngrok', '--tunnel-host', `127.0.0.1:${closedPort}`],
      {
        env: { NGROK_AUTHTOKEN: 'not-a-real-token' },
      },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^Error: ngrok refused the tunnel: failed to connect session/m)

    // a server that accepts and never speaks: ngrok waits for its handshake until our timeout
    const mute = createTcpServer(() => undefined)
    const mutePort = await listenOn(mute)
    const hung = await runKick(
      ['listen', '--tunnel', 'ngrok', '--tunnel-host', `127.0.0.1:${mutePort}`, '--tunnel-timeout', '1s'],
      { env: { NGROK_AUTHTOKEN: 'not-a-real-token' } },
    )
    expect(hung.code).toBe(1)
    expect(hung.stderr).toContain('Error: the ngrok tunnel did not open within 1s')
  })

  describe('when the tunnel dies', () => {
    const listenThrough = async (server: { url: string }, giveUp: string): Promise<Running> => {
      running = await startKick(
        ['listen', '--public-key-file', key.pemFile, '--tunnel', 'localtunnel', '--tunnel-host', server.url],
        { KICK_TUNNEL_GIVE_UP: giveUp },
      )
      return running
    }

    it('localtunnel: retries a server that drops every connection with backoff, then exits 1 naming the tunnel', async () => {
      const server = await fakeLocaltunnelServer()
      const kick = await listenThrough(server, '8s')
      await until(() => server.sockets.length === 2, 'the 2 tunnel sockets')
      // from now on the server takes each connection and drops it at once, as one that lost this client would
      const attempts: number[] = []
      server.tcp.removeAllListeners('connection')
      server.tcp.on('connection', (socket: Socket) => {
        attempts.push(Date.now())
        socket.destroy()
      })
      const down = Date.now()
      for (const socket of server.sockets.splice(0)) socket.destroy()

      expect((await kick.exited).code).toBe(1)
      const lines = kick.stderr().trimEnd().split('\n')
      // one warning, not one per attempt
      expect(lines.filter((line) => line.startsWith('Warning:'))).toEqual([
        'Warning: the localtunnel tunnel lost its server (the server closed the connection): reconnecting for up to 8s',
      ])
      expect(lines.at(-1)).toBe(
        'Error: the localtunnel tunnel (https://quiet-fox.loca.lt) is gone: no connection to its server for 8s ' +
          '(the server closed the connection): Kick can no longer reach this listener',
      )
      // reconnections 1 s, 2 s, 4 s apart (at least: a busy machine only makes them later), not a tight loop
      expect(attempts.length).toBeGreaterThanOrEqual(2)
      expect(attempts.length).toBeLessThanOrEqual(4)
      const gaps = attempts.map((at, i) => at - (i ? attempts[i - 1]! : down))
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(900 * 2 ** i))
    })

    it('localtunnel: reconnects when its server comes back, and goes on receiving', async () => {
      const server = await fakeLocaltunnelServer()
      const kick = await listenThrough(server, '30s')
      await until(() => server.sockets.length === 2, 'the 2 tunnel sockets')
      await goAway(server)
      await until(() => kick.stderr().includes('lost its server'), 'the warning')
      expect(kick.stderr()).toContain(
        'Warning: the localtunnel tunnel lost its server (the server closed the connection): reconnecting for up to 30s\n',
      )

      // the same port again
      const back = createTcpServer((socket) => server.sockets.push(socket))
      servers.push(back)
      back.on('connection', (socket: Socket) => connections.push(socket))
      await new Promise<void>((resolve) => back.listen(server.tcpPort, '127.0.0.1', resolve))
      await until(
        () => kick.stderr().includes('the localtunnel tunnel is connected again'),
        'the reconnection',
      )
      const d = delivery(key.privateKey)
      expect(await throughTunnel(server.sockets[0]!, '/', d.headers, d.body)).toMatch(
        /^HTTP\/1\.1 200 OK\r\n/,
      )
      await until(() => kick.events().length === 1, 'the event')
      kick.child.kill('SIGINT')
      expect((await kick.exited).code).toBe(0)
      expect(kick.stderr().match(/^Warning:/gm)).toHaveLength(1)
    })

    it('cloudflared: exiting after it gave the URL is exit 1 naming the tunnel, not a silent dead URL', async () => {
      const fake = fakeCloudflared('url')
      const kick = (running = await startKick(
        ['listen', '--public-key-file', key.pemFile, '--tunnel', 'cloudflared'],
        { PATH: fake.path },
      ))
      process.kill(Number(readFileSync(fake.pidFile, 'utf8')), 'SIGKILL')
      expect((await kick.exited).code).toBe(1)
      expect(kick.stderr().trimEnd().split('\n').at(-1)).toBe(
        'Error: the cloudflared tunnel (https://quiet-fox-lamp.trycloudflare.com) is gone: cloudflared exited ' +
          '(SIGKILL): 2026-01-01T00:00:00Z INF |  https://quiet-fox-lamp.trycloudflare.com                                  |: ' +
          'Kick can no longer reach this listener',
      )
    })
  })
})
