import { KickError, UsageError } from '../../errors.js'
import { formatDuration } from '../duration.js'

export const TUNNEL_KINDS = ['none', 'localtunnel', 'ngrok', 'cloudflared'] as const
export type TunnelKind = (typeof TUNNEL_KINDS)[number]

/** A public URL that reaches the local listener, until closed. */
export interface Tunnel {
  url: string
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
  /** problems after the start (a dropped connection), one line on stderr */
  warn: (message: string) => void
}

/** A provider's start: it resolves with the tunnel, and `abort` undoes whatever it began when time runs out. */
export interface TunnelStart {
  tunnel: Promise<Tunnel>
  abort(): void
}

/** What a tunnel needs before anything starts (checked with the other flags, exit 2 when missing). */
export function checkTunnelPrerequisites(kind: TunnelKind): void {
  if (kind === 'ngrok' && !process.env.NGROK_AUTHTOKEN) {
    throw new UsageError(
      '--tunnel ngrok needs NGROK_AUTHTOKEN: copy yours from https://dashboard.ngrok.com/get-started/your-authtoken, or use --tunnel cloudflared|localtunnel',
    )
  }
}

/**
 * Opens a tunnel of the given kind, each provider loaded only when chosen; fails with a clear error when the
 * provider is missing, refuses, or has not given a URL within the timeout.
 */
export async function startTunnel(
  kind: Exclude<TunnelKind, 'none'>,
  options: TunnelOptions,
): Promise<Tunnel> {
  // a listener on every interface is reached locally through loopback
  const localHost = ['0.0.0.0', '::', '[::]'].includes(options.localHost) ? '127.0.0.1' : options.localHost
  const resolved = { ...options, localHost }
  const start =
    kind === 'ngrok'
      ? (await import('./ngrok.js')).startNgrok(resolved)
      : kind === 'localtunnel'
        ? (await import('./localtunnel.js')).startLocaltunnel(resolved)
        : (await import('./cloudflared.js')).startCloudflared(resolved)
  const giveUp = (): void => {
    start.abort()
    start.tunnel.then(
      (late) => late.close(),
      () => undefined,
    )
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      giveUp()
      const waited = formatDuration(options.timeoutMs)
      reject(new KickError(`the ${kind} tunnel did not open within ${waited}${hint(kind)}`))
    }, options.timeoutMs)
  })
  // Ctrl-C while a provider is still connecting: undo it rather than wait for the timeout.
  const cancelled = (options.cancel ?? new Promise<never>(() => undefined)).then(() => {
    giveUp()
    throw new TunnelCancelled()
  })
  try {
    return await Promise.race([start.tunnel, timeout, cancelled])
  } finally {
    clearTimeout(timer)
  }
}

/** The tunnel start was cancelled (SIGINT/SIGTERM): not a failure. */
export class TunnelCancelled extends Error {
  constructor() {
    super('tunnel start cancelled')
    this.name = 'TunnelCancelled'
  }
}

function hint(kind: string): string {
  return `: check the network${kind === 'cloudflared' ? '' : ' and --tunnel-host'}, or run your own tunnel and pass --public-url`
}
