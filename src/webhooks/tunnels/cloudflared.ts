import { spawnChild } from '../../config/child-env.js'
import { KickError } from '../../errors.js'
import { type Tunnel, TunnelHealth, type TunnelOptions, type TunnelStart } from './tunnel.js'

/** The quick-tunnel URL cloudflared logs once the tunnel is up. */
const QUICK_TUNNEL_URL = /https:\/\/[a-z0-9-]+\.trycloudflare\.com/

/**
 * A Cloudflare quick tunnel: `cloudflared tunnel --url http://HOST:PORT` (the binary on PATH), its URL read
 * from its log. The process is ours: it is stopped on close.
 */
export function startCloudflared(options: TunnelOptions): TunnelStart {
  const child = spawnChild(
    'cloudflared',
    ['tunnel', '--no-autoupdate', '--url', `http://${options.localHost}:${options.localPort}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let closing = false
  const health = new TunnelHealth('cloudflared', options)
  const stop = (): void => {
    health.close()
    closing = true
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  }
  const tunnel = new Promise<Tunnel>((resolve, reject) => {
    let lastLine = ''
    let found = false
    const scan = (chunk: Buffer): void => {
      const text = chunk.toString('utf8')
      const lines = text.split('\n').filter((line) => line.trim())
      if (lines.length) lastLine = lines[lines.length - 1]!.trim()
      const match = found ? null : QUICK_TUNNEL_URL.exec(text)
      if (!match) return
      found = true
      resolve({
        url: match[0],
        lost: health.lost,
        close: async () => {
          stop()
          if (child.exitCode === null && child.signalCode === null) {
            await new Promise((done) => child.once('exit', done))
          }
        },
      })
    }
    child.stdout!.on('data', scan)
    child.stderr!.on('data', scan)
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new KickError(
          error.code === 'ENOENT'
            ? '--tunnel cloudflared needs the cloudflared binary on PATH: install it (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/) or use --tunnel localtunnel|ngrok'
            : `could not start cloudflared: ${error.message}`,
        ),
      )
    })
    child.once('exit', (code, signal) => {
      if (found) {
        // cloudflared reconnects to Cloudflare by itself while it runs; once it exits, nothing does
        if (!closing) health.gone(`cloudflared exited (${signal ?? `exit ${code}`}): ${lastLine}`)
        return
      }
      if (closing) return reject(new KickError('cloudflared was stopped before it opened a tunnel'))
      reject(
        new KickError(
          `cloudflared exited (${signal ?? `exit ${code}`}) before opening a tunnel: ${lastLine}`,
        ),
      )
    })
  })
  return { tunnel, abort: stop }
}
