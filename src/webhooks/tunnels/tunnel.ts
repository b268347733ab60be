import { UsageError } from '../../errors.js'
import { parseUrl } from '../../input/url.js'
import { formatDuration } from '../duration.js'

/* What the tunnel providers and their callers share; providers import it, never the index that loads them. */

export const TUNNEL_KINDS = ['none', 'localtunnel', 'ngrok', 'cloudflared'] as const
export type TunnelKind = (typeof TUNNEL_KINDS)[number]

/** A public URL that reaches the local listener, until closed. */
export interface Tunnel {
  url: string
  /** resolves with why once the tunnel is gone for good: its process exited, or it found no server for long */
  lost: Promise<string>
  close(): Promise<void>
}

export interface TunnelOptions {
  /** where the listener is */
  localHost: string
  localPort: number
  /** `--tunnel-host`: a self-hosted localtunnel server, or ngrok's server address */
  tunnelHost?: string
  /** offline, some providers never settle: give up after this */
  timeoutMs: number
  /** settles when the start should be given up (a signal) */
  cancel?: Promise<unknown>
  /** a tunnel without its server for this long is lost (about a minute) */
  giveUpMs: number
  /** problems after the start (a dropped connection), one line on stderr */
  warn: (message: string) => void
  /** news after the start (connected again), one line on stderr */
  note: (message: string) => void
}

/** A provider's start: it resolves with the tunnel, and `abort` undoes whatever it began when time runs out. */
export interface TunnelStart {
  tunnel: Promise<Tunnel>
  abort(): void
}

/** What a tunnel needs before anything starts (checked with the other flags, exit 2 when missing). */
export function checkTunnelPrerequisites(kind: TunnelKind, tunnelHost?: string): void {
  if (kind === 'ngrok' && !process.env.NGROK_AUTHTOKEN) {
    throw new UsageError(
      '--tunnel ngrok needs NGROK_AUTHTOKEN: copy yours from https://dashboard.ngrok.com/get-started/your-authtoken, or use --tunnel cloudflared|localtunnel',
    )
  }
  if (kind === 'localtunnel') localtunnelServer(tunnelHost)
}

/** The public localtunnel server, when `--tunnel-host` names none. */
export const LOCALTUNNEL_SERVER = 'https://localtunnel.me'

/**
 * The localtunnel server `--tunnel-host` names: an http(s) URL, or a bare host taken as https (as `lt --host`
 * users write it).
 */
export function localtunnelServer(tunnelHost: string | undefined): URL {
  const text = tunnelHost?.trim() || LOCALTUNNEL_SERVER
  const server = parseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
  if (
    !server ||
    (server.protocol !== 'http:' && server.protocol !== 'https:') ||
    server.search ||
    server.hash
  )
    throw new UsageError(`--tunnel-host ${text}: expected the http(s) URL of a localtunnel server`)
  if (!server.pathname.endsWith('/')) server.pathname += '/'
  return server
}

/** Waits between reconnection attempts: 1 s, 2 s, 4 s … at most 16 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 16_000)
}

/**
 * Whether a tunnel still reaches its server, as its provider reports it: one warning when it loses the
 * server (not one per failed attempt), one note when it is back, and `lost` once it has been without it for
 * `giveUpMs` or its provider is gone (`gone`): a dead public URL must end the run, not go on silently.
 */
export class TunnelHealth {
  readonly lost: Promise<string>
  private settleLost!: (why: string) => void
  private downTimer?: NodeJS.Timeout
  private reason = ''
  private over = false

  constructor(
    private readonly kind: string,
    private readonly options: Pick<TunnelOptions, 'giveUpMs' | 'warn' | 'note'>,
  ) {
    this.lost = new Promise((resolve) => (this.settleLost = resolve))
  }

  /** Without a connection to the server, for `reason`; the clock to giving up starts at the first. */
  down(reason: string): void {
    this.reason = reason
    if (this.downTimer || this.over) return
    const limit = formatDuration(this.options.giveUpMs)
    this.options.warn(`the ${this.kind} tunnel lost its server (${reason}): reconnecting for up to ${limit}`)
    this.downTimer = setTimeout(
      () => this.gone(`no connection to its server for ${limit} (${this.reason})`),
      this.options.giveUpMs,
    )
  }

  up(): void {
    if (!this.downTimer || this.over) return
    clearTimeout(this.downTimer)
    this.downTimer = undefined
    this.options.note(`the ${this.kind} tunnel is connected again`)
  }

  /** The provider is gone for good (its process exited). */
  gone(why: string): void {
    if (this.over) return
    this.close()
    this.settleLost(why)
  }

  /** Closed on purpose: nothing more to report. */
  close(): void {
    this.over = true
    clearTimeout(this.downTimer)
  }
}
