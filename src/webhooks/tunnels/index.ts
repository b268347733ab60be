import { KickError } from '../../errors.js'
import { formatDuration, parseDuration } from '../duration.js'
import type { Tunnel, TunnelKind, TunnelOptions } from './tunnel.js'

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
  // KICK_TUNNEL_GIVE_UP (undocumented): shortens the minute for the tests
  const giveUpMs = parseDuration(process.env.KICK_TUNNEL_GIVE_UP ?? '') || options.giveUpMs
  const resolved = { ...options, localHost, giveUpMs }
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
