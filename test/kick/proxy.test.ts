import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, request, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { bypasses, describeProxy, proxyFor } from '../../src/kick/proxy.js'
import { selfSignedCertificate } from '../helpers/certificate.js'
import { runKick } from '../helpers/run-kick.js'
import { delivery, freshKey } from '../webhooks/helpers.js'

const USER = { user_id: 7, name: 'proxied', email: '', profile_picture: '' }

describe('proxyFor: the environment as curl and gh read it', () => {
  const https = new URL('https://api.kick.com/public/v1/users')
  const http = new URL('http://api.kick.com/public/v1/users')

  it('takes HTTPS_PROXY for https:// and HTTP_PROXY for http://, the lower-case name first', () => {
    const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'plain:3' }
    expect(proxyFor(https, env)?.url.host).toBe('lower:2')
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:1' })?.variable).toBe('HTTPS_PROXY')
    // a bare host:port is an http:// proxy, as curl takes it
    expect(proxyFor(http, env)?.url.href).toBe('http://plain:3/')
    expect(proxyFor(http, { HTTPS_PROXY: 'http://upper:1' })).toBeUndefined()
    expect(proxyFor(https, {})).toBeUndefined()
    expect(proxyFor(https, { HTTPS_PROXY: '' })).toBeUndefined()
  })

  it('never for loopback hosts, like gh', () => {
    const env = { HTTP_PROXY: 'http://proxy:3128', HTTPS_PROXY: 'http://proxy:3128' }
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://localhost/',
      'https://[::1]:8/',
      'http://app.localhost/',
    ])
      expect(proxyFor(new URL(url), env), url).toBeUndefined()
    expect(proxyFor(new URL('http://10.0.0.1/'), env)).toBeDefined()
  })

  it('sends the credentials of the proxy URL as Basic, and never shows them', () => {
    const proxy = proxyFor(https, { HTTPS_PROXY: 'http://us%40er:p%3Ass@proxy.corp:8080' })!
    expect(proxy.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`)
    expect(describeProxy(proxy)).toBe('http://proxy.corp:8080 (HTTPS_PROXY)')
  })

  it('refuses what it cannot speak to, without echoing the value', () => {
    expect(() => proxyFor(https, { HTTPS_PROXY: 'socks5://u:secret@proxy:1080' })).toThrow(
      'HTTPS_PROXY: kick speaks to http:// proxies only, not socks5://',
    )
    expect(() => proxyFor(https, { HTTPS_PROXY: 'http://[oops' })).toThrow(
      'HTTPS_PROXY is not a proxy URL such as http://proxy.example:3128',
    )
  })

  it('NO_PROXY: hosts and their subdomains, a leading dot, ports, addresses, CIDR ranges, *', () => {
    const cases: [string, string, number, boolean][] = [
      ['kick.com', 'api.kick.com', 443, true],
      ['kick.com', 'kick.com', 443, true],
      ['.kick.com', 'kick.com', 443, true],
      ['*.kick.com', 'id.kick.com', 443, true],
      ['kick.com', 'notkick.com', 443, false],
      ['example.org, kick.com', 'api.kick.com', 443, true],
      ['example.org kick.com', 'api.kick.com', 443, true],
      ['API.KICK.COM', 'api.kick.com', 443, true],
      ['api.kick.com:443', 'api.kick.com', 443, true],
      ['api.kick.com:8443', 'api.kick.com', 443, false],
      ['*', 'anything.example', 80, true],
      ['10.1.2.3', '10.1.2.3', 80, true],
      ['10.0.0.0/8', '10.200.3.4', 80, true],
      ['10.0.0.0/8', '11.0.0.1', 80, false],
      ['10.1.2.3:8080', '10.1.2.3', 80, false],
      ['fd00::/8', 'fd12::1', 443, true],
      ['[fd12::1]:443', 'fd12::1', 443, true],
      ['fd12::1', 'fd12::2', 443, false],
      ['10.0.0.0/8', 'ten.example', 80, false],
      ['', 'api.kick.com', 443, false],
    ]
    for (const [list, host, port, expected] of cases)
      expect(bypasses(list, host, port), `${list} / ${host}:${port}`).toBe(expected)
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', no_proxy: 'kick.com' })).toBeUndefined()
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'kick.com' })).toBeUndefined()
  })
})

/**
 * A forward proxy on loopback, as a corporate one: absolute-form requests for plain HTTP, CONNECT tunnels for
 * HTTPS, every request recorded. Kick's hosts here are names that resolve nowhere (`.invalid`): only the
 * proxy can reach them, by sending them to the loopback servers of the test.
 */
class LoopbackProxy {
  readonly seen: { method: string; target: string; host?: string; authorization?: string }[] = []
  /** CONNECT answers this instead of tunnelling, when set */
  refuseConnect?: number
  /** which of the test's servers the hosts are: the HTTPS one, or the plain one */
  tls = false
  private readonly server: Server
  private readonly sockets = new Set<Socket>()

  constructor(private readonly route: (host: string) => number) {
    this.server = createHttpServer((req, res) => {
      this.seen.push({
        method: req.method!,
        target: req.url!,
        host: req.headers.host,
        authorization: req.headers['proxy-authorization'],
      })
      const url = new URL(req.url!)
      const { 'proxy-authorization': _, ...headers } = req.headers
      const upstream = request(
        {
          host: '127.0.0.1',
          port: this.route(url.hostname),
          method: req.method,
          path: url.pathname + url.search,
          headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers)
          answer.pipe(res)
        },
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    this.server.on('connect', (req, client: Socket) => {
      this.seen.push({
        method: 'CONNECT',
        target: req.url!,
        host: req.headers.host,
        authorization: req.headers['proxy-authorization'],
      })
      if (this.refuseConnect) {
        client.end(`HTTP/1.1 ${this.refuseConnect} Proxy Authentication Required\r\n\r\n`)
        return
      }
      const [host = '', port] = req.url!.split(':')
      expect(port).toBe('443')
      const upstream = connect(this.route(host), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('error', () => undefined)
        socket.on('close', () => this.sockets.delete(socket))
      }
    })
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('kick through a proxy', () => {
  let proxy: LoopbackProxy
  let proxyUrl: string
  let plain: Server
  let secure: Server
  let certFile: string
  const reached: { server: string; method: string; path: string; host?: string }[] = []
  let ports: Record<string, number>

  beforeAll(async () => {
    const certificate = selfSignedCertificate('DNS:api.kick.invalid')
    certFile = certificate.certFile
    const answer = (server: string) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      reached.push({ server, method: req.method!, path: req.url!, host: req.headers.host })
      res.writeHead(200, { 'content-type': 'application/json' })
      if (req.url === '/oauth/token') res.end(JSON.stringify({ access_token: 'app-token', token_type: 'Bearer', expires_in: 3600 }))
      else res.end(JSON.stringify({ data: [USER], message: 'OK' }))
    } // prettier-ignore
    plain = createHttpServer(answer('plain'))
    secure = createHttpsServer(certificate, answer('secure'))
    ports = { plain: await listen(plain), secure: await listen(secure as unknown as Server) }
    proxy = new LoopbackProxy((host) => {
      if (host === 'api.kick.invalid' || host === 'id.kick.invalid')
        return ports[proxy.tls ? 'secure' : 'plain']!
      throw new Error(`the proxy was asked for ${host}`)
    })
    proxyUrl = await proxy.start()
  })
  afterAll(async () => {
    await proxy.close()
    plain.close()
    secure.close()
  })
  beforeEach(() => {
    proxy.seen.length = 0
    reached.length = 0
    proxy.refuseConnect = undefined
  })

  it('plain HTTP: the request goes to the proxy in absolute form, for a host kick never resolves', async () => {
    proxy.tls = false
    const result = await runKick(['users', 'get', '--json'], {
      env: { KICK_API_URL: 'http://api.kick.invalid', KICK_ACCESS_TOKEN: 'token', HTTP_PROXY: proxyUrl },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([USER])
    expect(proxy.seen).toEqual([
      { method: 'GET', target: 'http://api.kick.invalid/public/v1/users', host: 'api.kick.invalid', authorization: undefined },
    ]) // prettier-ignore
    expect(reached).toEqual([
      { server: 'plain', method: 'GET', path: '/public/v1/users', host: 'api.kick.invalid' },
    ])
  })

  it('HTTPS: a CONNECT tunnel with the proxy credentials, TLS to the target inside it', async () => {
    proxy.tls = true
    const result = await runKick(['users', 'get', '--json'], {
      env: {
        KICK_API_URL: 'https://api.kick.invalid',
        KICK_ACCESS_TOKEN: 'token',
        https_proxy: proxyUrl.replace('http://', 'http://corp%20user:s3cret@'),
        NODE_EXTRA_CA_CERTS: certFile,
      },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([USER])
    expect(proxy.seen).toEqual([
      {
        method: 'CONNECT',
        target: 'api.kick.invalid:443',
        host: 'api.kick.invalid:443',
        authorization: `Basic ${Buffer.from('corp user:s3cret').toString('base64')}`,
      },
    ])
    expect(reached).toEqual([
      { server: 'secure', method: 'GET', path: '/public/v1/users', host: 'api.kick.invalid' },
    ])
  })

  it('the OAuth calls and the public-key fetch go through it too', async () => {
    proxy.tls = false
    const env = {
      KICK_API_URL: 'http://api.kick.invalid',
      KICK_AUTH_URL: 'http://id.kick.invalid',
      HTTP_PROXY: proxyUrl,
    }
    const token = await runKick(['auth', 'token', '--app'], {
      env: { ...env, KICK_CLIENT_ID: 'id', KICK_CLIENT_SECRET: 'secret' },
    })
    expect(token.code, token.stderr).toBe(0)
    expect(token.stdout).toBe('app-token\n')
    expect(proxy.seen.map(({ method, target }) => `${method} ${target}`)).toEqual([
      'POST http://id.kick.invalid/oauth/token',
    ])
    // a delivery to verify, with no key file: kick fetches Kick's public key (the answer is no key, so the
    // documented one is used: what matters here is the way the fetch went)
    const file = join(mkdtempSync(join(tmpdir(), 'kick-proxy-')), 'delivery.json')
    const { headers, body } = delivery(freshKey().privateKey)
    writeFileSync(file, JSON.stringify({ headers, body }))
    await runKick(['webhook', 'verify', '--file', file], { env })
    expect(proxy.seen.map(({ method, target }) => `${method} ${target}`)).toContain(
      'GET http://api.kick.invalid/public/v1/public-key',
    )
  })

  it('NO_PROXY: a listed host is reached directly, so an unresolvable one fails without the proxy', async () => {
    const result = await runKick(['users', 'get', '--json'], {
      env: {
        KICK_API_URL: 'https://api.kick.invalid',
        KICK_ACCESS_TOKEN: 'token',
        HTTPS_PROXY: proxyUrl,
        NO_PROXY: 'example.org,.kick.invalid',
      },
    })
    expect(result.code).toBe(1)
    // ENOTFOUND, or EAI_AGAIN on a machine with no DNS server at all
    expect(result.stderr).toMatch(
      /^Error: could not reach https:\/\/api\.kick\.invalid: (ENOTFOUND|EAI_AGAIN)\n$/,
    )
    expect(proxy.seen).toEqual([])
  })

  it('a proxy that is not there: one line naming it, never its credentials', async () => {
    const down = await new Promise<number>((resolve) => {
      const probe = createHttpServer()
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    for (const [variable, api] of [
      ['HTTPS_PROXY', 'https://api.kick.invalid'],
      ['HTTP_PROXY', 'http://api.kick.invalid'],
    ] as const) {
      const result = await runKick(['users', 'get', '--json'], {
        env: {
          KICK_API_URL: api,
          KICK_ACCESS_TOKEN: 'token',
          [variable]: `http://me:topsecret@127.0.0.1:${down}`,
        },
      })
      expect(result.code, variable).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toBe(
        `Error: could not reach ${api}: through the proxy http://127.0.0.1:${down} (${variable}): it refused the connection (ECONNREFUSED)\n`,
      )
    }
  })

  it('a proxy that refuses the tunnel: one line with its answer', async () => {
    proxy.refuseConnect = 407
    const result = await runKick(['users', 'get', '--json'], {
      env: { KICK_API_URL: 'https://api.kick.invalid', KICK_ACCESS_TOKEN: 'token', HTTPS_PROXY: proxyUrl },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Error: could not reach https://api.kick.invalid: through the proxy ${proxyUrl} (HTTPS_PROXY): answered CONNECT api.kick.invalid:443 with 407 Proxy Authentication Required\n`,
    )
    expect(reached).toEqual([])
  })
})
