import { KickError } from '../../errors.js'
import { checkTunnelPrerequisites, TunnelHealth, type TunnelOptions, type TunnelStart } from './tunnel.js'

/** ngrok through its Node SDK (`@ngrok/ngrok`, a native module), authenticated by NGROK_AUTHTOKEN. */
export function startNgrok(options: TunnelOptions): TunnelStart {
  let aborted = false
  const health = new TunnelHealth('ngrok', options)
  const tunnel = (async () => {
    checkTunnelPrerequisites('ngrok')
    const ngrok = await import('@ngrok/ngrok')
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

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]!
}
