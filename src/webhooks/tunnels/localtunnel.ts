import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'

import { KickError } from '../../errors.js'
import { reconnectDelayMs, TunnelHealth, type TunnelOptions, type TunnelStart } from './tunnel.js'

/** A socket to the server that stays open this long counts as a working tunnel again (resets the backoff). */
const STABLE_MS = 2_000

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
    const health = new TunnelHealth('localtunnel', options)
    keepConnected(opened as unknown as LocaltunnelClient, health)
    return {
      url: opened.url,
      lost: health.lost,
      close: async () => {
        health.close()
        opened.close()
      },
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

/** The parts of the `localtunnel` client (2.0.2, unmaintained since 2020) that reconnecting needs. */
interface LocaltunnelClient extends EventEmitter {
  closed: boolean
  tunnelCluster: EventEmitter & { open(): void; opts: { max_conn: number } }
}

/**
 * localtunnel's client reopens a dropped socket at once, and when that fails it gives up, leaving a dead URL
 * behind (one warning per socket, ten in a few seconds, then silence). Its sockets are kept here instead:
 * each dropped one is reopened with backoff (1 s, 2 s, 4 s … 16 s), and the health says when none is left
 * and when one works again; a tunnel without its server for long is lost.
 */
function keepConnected(client: LocaltunnelClient, health: TunnelHealth): void {
  const cluster = client.tunnelCluster
  const wanted = cluster.opts.max_conn
  cluster.removeAllListeners('dead')
  let live = 0
  let attempt = 0
  let retry: NodeJS.Timeout | undefined
  let lastError = 'the server closed the connection'

  const reopenLater = (): void => {
    if (retry || client.closed || live >= wanted) return
    retry = setTimeout(() => {
      retry = undefined
      if (client.closed || live >= wanted) return
      cluster.open()
      reopenLater()
    }, reconnectDelayMs(attempt++))
  }
  cluster.on('open', (socket: Socket) => {
    live++
    const stable = setTimeout(() => {
      attempt = 0
      health.up()
    }, STABLE_MS)
    socket.once('close', () => {
      clearTimeout(stable)
      live--
      if (client.closed) return
      if (live === 0) health.down(lastError)
      reopenLater()
    })
  })
  // connection refused: the socket never opened
  client.on('error', (error: Error) => {
    lastError = error.message
    if (client.closed) return
    if (live === 0) health.down(lastError)
    reopenLater()
  })
  client.once('close', () => {
    clearTimeout(retry)
    health.close()
  })
}
