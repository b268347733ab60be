import { UsageError } from '../../errors.js'

/* What the tunnel providers and their callers share; providers import it, never the index that loads them. */

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
