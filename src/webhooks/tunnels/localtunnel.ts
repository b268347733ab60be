import { KickError } from '../../errors.js'
import type { TunnelOptions, TunnelStart } from './tunnel.js'

/**
 * localtunnel (https://localtunnel.me, or a self-hosted server with `--tunnel-host`): the server hands out a
 * URL and a TCP port, and the client keeps a few raw sockets open to it through which requests arrive.
 */
export function startLocaltunnel(options: TunnelOptions): TunnelStart {
  let client: { close(): void } | undefined
  let aborted = false
  const tunnel = (async () => {
    const { default: localtunnel } = await import('localtunnel')
    let opened: Awaited<ReturnType<typeof localtunnel>>
    try {
      opened = await localtunnel({
        port: options.localPort,
        local_host: options.localHost,
        ...(options.tunnelHost ? { host: options.tunnelHost } : {}),
      })
    } catch (error) {
      throw new KickError(`localtunnel refused the tunnel: ${(error as Error).message}`)
    }
    client = opened
    if (aborted) opened.close()
    opened.on('error', (error: Error) => options.warn(`localtunnel: ${error.message}`))
    return {
      url: opened.url,
      close: async () => opened.close(),
    }
  })()
  return {
    tunnel,
    // An unreachable server makes the client retry every second, forever; close() is all it offers.
    abort: () => {
      aborted = true
      client?.close()
    },
  }
}
