import { BlockList, isIP } from 'node:net'

/**
 * Which proxy a request goes through, from the environment, as curl and gh read it: `https_proxy` /
 * `HTTPS_PROXY` for https:// URLs, `http_proxy` / `HTTP_PROXY` for http:// ones (the lower-case name first,
 * as curl), none for a host `no_proxy` / `NO_PROXY` lists. Like gh (Go's net/http), a loopback host
 * (localhost, 127.0.0.0/8, ::1) never goes through a proxy: `kick mock` and `kick listen` stay reachable
 * behind a corporate one.
 */
export interface Proxy {
  /** where to connect: the proxy's own host and port */
  url: URL
  /** the variable it came from, for messages */
  variable: string
  /** `Basic …` when the proxy URL carries a user name (and password) */
  authorization?: string
}

export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): Proxy | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find((name) => env[name])
  if (!variable) return undefined
  const host = bareHost(target.hostname)
  if (isLoopback(host)) return undefined
  const noProxy = env.no_proxy || env.NO_PROXY
  if (noProxy && bypasses(noProxy, host, portOf(target))) return undefined
  return parseProxy(env[variable]!, variable)
}

/**
 * The proxy as kick shows it: scheme, host and port, never the credentials a proxy URL may carry.
 */
export function describeProxy(proxy: Proxy): string {
  return `${proxy.url.protocol}//${proxy.url.host} (${proxy.variable})`
}

function parseProxy(value: string, variable: string): Proxy {
  let url: URL
  try {
    // curl takes a bare host:port as http://
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    throw new Error(`${variable} is not a proxy URL such as http://proxy.example:3128`)
  }
  if (url.protocol !== 'http:')
    throw new Error(`${variable}: kick speaks to http:// proxies only, not ${url.protocol}//`)
  const proxy: Proxy = { url, variable }
  if (url.username) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    proxy.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
  }
  return proxy
}

/**
 * curl's NO_PROXY: a comma-separated list (spaces allowed) of host names, each matching itself and its
 * subdomains (a leading dot or `*.` changes nothing), IP addresses and CIDR ranges, each optionally with
 * `:port`; `*` alone matches every host.
 */
export function bypasses(noProxy: string, host: string, port: number): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  const ipVersion = isIP(name)
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue
    if (raw === '*') return true
    const { pattern, port: wanted } = splitPort(raw.toLowerCase())
    if (wanted !== undefined && wanted !== port) continue
    if (ipVersion) {
      if (matchesAddress(pattern, name, ipVersion)) return true
      continue
    }
    const domain = pattern.replace(/^\*?\.+/, '').replace(/\.$/, '')
    if (domain && (name === domain || name.endsWith(`.${domain}`))) return true
  }
  return false
}

function splitPort(entry: string): { pattern: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { pattern: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined }
  // an IPv6 address (or range) without brackets has colons of its own and no port
  if (isIP(entry.split('/')[0]!) === 6) return { pattern: entry }
  const withPort = /^(.*):(\d+)$/.exec(entry)
  return withPort ? { pattern: withPort[1]!, port: Number(withPort[2]) } : { pattern: entry }
}

function matchesAddress(pattern: string, address: string, version: number): boolean {
  const [base = '', bits] = pattern.split('/')
  const baseVersion = isIP(base)
  if (baseVersion !== version) return false
  const type = version === 6 ? 'ipv6' : 'ipv4'
  const list = new BlockList()
  const prefix = bits === undefined ? (version === 6 ? 128 : 32) : Number(bits)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (version === 6 ? 128 : 32)) return false
  list.addSubnet(base, prefix, type)
  return list.check(address, type)
}

function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (isIP(name) === 4) return name.startsWith('127.')
  if (isIP(name) === 6) return name === '::1' || /^::ffff:(127\.|7f)/.test(name)
  return false
}

/** `[::1]` → `::1`: a URL keeps the brackets of an IPv6 host, a connection and an address check take none. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
}

function portOf(target: URL): number {
  return target.port ? Number(target.port) : target.protocol === 'https:' ? 443 : 80
}
