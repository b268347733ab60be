import { KickError } from '../../errors.js'
import { checkTunnelPrerequisites, TunnelHealth, type TunnelOptions, type TunnelStart } from './tunnel.js'

/**
 * ngrok through its Node SDK (`@ngrok/ngrok`, a native module), authenticated by NGROK_AUTHTOKEN. The SDK is
 * not a dependency of kick-cli: it would be half the install (10.9 MB) for one of four tunnel choices, so
 * whoever picks it installs it beside kick (an optional peer dependency in package.json).
 */
export function startNgrok(options: TunnelOptions): TunnelStart {
  let aborted = false
  const health = new TunnelHealth('ngrok', options)
  const tunnel = (async () => {
    checkTunnelPrerequisites('ngrok')
    const ngrok = await loadNgrok()
    let listener: Awaited<ReturnType<typeof ngrok.forward>>
    try {
      listener = await ngrok.forward({
        addr: `${options.localHost}:${options.localPort}`,
        authtoken_from_env: true,
        // the session reconnects by itself (with its own backoff); a session closed for long is a dead URL
        onStatusChange: (status: string) =>
          status === 'closed' ? health.down('session closed') : health.up(),
        ...(options.tunnelHost ? { server_addr: options.tunnelHost } : {}),
      })
    } catch (error) {
      throw new KickError(`ngrok refused the tunnel: ${firstLine(error)}`)
    }
    const url = listener.url()
    if (aborted || !url) {
      await listener.close().catch(() => undefined)
      throw new KickError('ngrok opened a tunnel without a URL')
    }
    return {
      url,
      lost: health.lost,
      close: () => {
        health.close()
        return listener.close().catch(() => undefined)
      },
    }
  })()
  return {
    tunnel,
    abort: () => {
      aborted = true
    },
  }
}

export const NGROK_MISSING =
  '--tunnel ngrok needs the @ngrok/ngrok package, which kick-cli does not install: run `npm install -g @ngrok/ngrok`, or use --tunnel cloudflared|localtunnel'

async function loadNgrok(): Promise<typeof import('@ngrok/ngrok')> {
  try {
    return await import('@ngrok/ngrok')
  } catch (error) {
    // the package itself is missing; anything else (its native binding for this platform) is said as it is
    const { code, message } = error as NodeJS.ErrnoException
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes("'@ngrok/ngrok'"))
      throw new KickError(NGROK_MISSING)
    throw new KickError(`could not load @ngrok/ngrok: ${firstLine(error)}`)
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]!
}
