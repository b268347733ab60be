import { ExitCode, KickError, UsageError } from '../errors.js'
import type { KickClient } from '../kick/client.js'
import { EVENT_TYPES, type EventType } from '../kick/events.js'
import {
  createdSubscriptions,
  createSubscriptions,
  notKeptLine,
  notKeptMessage,
  subscriptionsNotKept,
} from '../kick/subscriptions.js'
import type { SubscribeResult } from '../kick/types.js'
import { formatDuration } from './duration.js'
import { ListenDisplay } from './event-line.js'
import { type ListenerOptions, type ListenerTrouble, STOP_GRACE_MS, WebhookListener } from './listener.js'
import { PublicKeys, type KeySource } from './public-key.js'
import type { Tunnel, TunnelKind } from './tunnels/tunnel.js'

export interface ListenSettings extends Omit<ListenerOptions, 'log' | 'display'> {
  tunnel: TunnelKind
  tunnelHost?: string
  tunnelTimeoutMs: number
  publicUrl?: string
  /** KICK_API_URL, where Kick's public key is fetched */
  apiUrl: string
  publicKeyFile?: string
  acceptDevSignatures: boolean
  /** `--subscribe`: events to subscribe at start (and unsubscribe at exit) */
  subscribe?: {
    events: readonly EventType[]
    client: () => Promise<KickClient>
    broadcasterId: () => Promise<number>
    /** list the subscriptions right after creating them, to catch the ones Kick does not keep */
    verify: boolean
  }
  /** `--demo`: starts a local Kick delivering signed sample events to the listener's URL (src/demo.ts) */
  demo?: (webhookUrl: string) => Promise<DemoKick>
  /** a line on stderr */
  note: (line: string) => void
  warn: (line: string) => void
  /** resolves on SIGINT/SIGTERM */
  interrupted: Promise<string>
}

/** A tunnel without its server for this long ends the run (exit 1): its public URL is dead. */
const TUNNEL_GIVE_UP_MS = 60_000
const NEVER = new Promise<never>(() => undefined)

/**
 * What `--demo` needs from a local Kick. The mock that implements it lives in `src/mock`, which uses this
 * folder's signing code, so it is wired above both (`src/demo.ts`) and handed in, not imported here.
 */
export interface DemoKick {
  /** its API (and public key) */
  url: string
  /** a client with a token the demo Kick issued, allowed to subscribe */
  client: KickClient
  /** the logged-in user, whose channel the sample events are about */
  broadcaster: number
  /** starts sending sample events, one type after another; answers how to stop them */
  stream(warn: (line: string) => void): () => void
  close(): Promise<void>
}

/**
 * `kick listen` from start to finish: keys, server, tunnel, subscriptions (or the demo's mock Kick), then
 * events until `--count`, SIGINT/SIGTERM or a closed stdout; then stop accepting, finish in-flight requests,
 * flush stdout, unsubscribe and close everything it opened. Answers the exit status, or throws when a
 * delivery had to be refused for a reason on this side.
 */
export async function runListen(settings: ListenSettings): Promise<ExitCode> {
  const display = await ListenDisplay.create(settings.out, process.stderr, settings.json)
  const listener = new WebhookListener({ ...settings, log: settings.note, display })
  await serve(listener, settings)
  return exitStatus(listener.troubles, settings.saveDir)
}

async function serve(listener: WebhookListener, settings: ListenSettings): Promise<void> {
  let tunnel: Tunnel | undefined
  let demo: DemoKick | undefined
  let stopDemoStream: (() => void) | undefined
  let client: KickClient | undefined
  const created: string[] = []
  let listening = false

  try {
    const localUrl = await listener.start().catch((error: NodeJS.ErrnoException) => {
      throw listenError(error, settings)
    })
    let keySource: KeySource
    if (settings.demo) {
      demo = await settings.demo(localUrl)
      client = demo.client
      const keys = await PublicKeys.resolve({
        apiUrl: demo.url,
        acceptDevSignatures: true,
        cache: false,
        warn: settings.warn,
      })
      listener.useKeys(keys)
      keySource = keys.source
    } else {
      const keys = await PublicKeys.resolve({
        apiUrl: settings.apiUrl,
        publicKeyFile: settings.publicKeyFile,
        acceptDevSignatures: settings.acceptDevSignatures,
        warn: settings.warn,
      })
      listener.useKeys(keys)
      keySource = keys.source
    }

    if (settings.tunnel !== 'none') {
      const { startTunnel, TunnelCancelled } = await import('./tunnels/index.js')
      const address = new URL(localUrl)
      try {
        tunnel = await startTunnel(settings.tunnel, {
          localHost: settings.host,
          localPort: Number(address.port),
          tunnelHost: settings.tunnelHost,
          timeoutMs: settings.tunnelTimeoutMs,
          giveUpMs: TUNNEL_GIVE_UP_MS,
          cancel: settings.interrupted,
          warn: settings.warn,
          note: settings.note,
        })
      } catch (error) {
        if (error instanceof TunnelCancelled) return settings.note('stopped before the tunnel opened')
        throw error
      }
    }
    const publicUrl = settings.publicUrl ?? (tunnel ? joinUrl(tunnel.url, settings.path) : undefined)
    banner(settings, localUrl, publicUrl, keySource)
    listening = true

    if (settings.subscribe) {
      client = await settings.subscribe.client()
      const broadcaster = await settings.subscribe.broadcasterId()
      const results = await subscribe(client, settings.subscribe.events, broadcaster, settings.note)
      created.push(...subscribedIds(results))
      if (settings.subscribe.verify) await checkKept(client, results, settings.note)
    } else if (demo) {
      created.push(
        ...subscribedIds(await subscribe(demo.client, EVENT_TYPES, demo.broadcaster, settings.note)),
      )
      stopDemoStream = demo.stream(settings.warn)
    }

    const lost = tunnel?.lost.then(
      (why) =>
        new KickError(
          `the ${settings.tunnel} tunnel (${tunnel!.url}) is gone: ${why}: Kick can no longer reach this listener`,
        ),
    )
    const why = await Promise.race([listener.finished, settings.interrupted, lost ?? NEVER])
    if (why instanceof KickError) throw why
    settings.note(`stopping: ${why}`)
  } finally {
    stopDemoStream?.()
    await listener.stop()
    try {
      if (created.length && client) await unsubscribe(client, created, settings.note)
    } finally {
      await tunnel?.close()
      await demo?.close()
      if (listening)
        settings.note(`${listener.printedCount} event${listener.printedCount === 1 ? '' : 's'} printed`)
    }
  }
}

/**
 * Exit 1 when a delivery was answered 5xx for a reason on this side (Kick sends it again), with an error
 * saying why. A reader that went away (`kick listen | head -1`) ends the run with 1 too, but quietly: its
 * user closed it on purpose, and the stop note has said so.
 */
function exitStatus(trouble: Readonly<ListenerTrouble>, saveDir: string | undefined): ExitCode {
  const deliveries = (count: number): string => `${count} deliver${count === 1 ? 'y' : 'ies'}`
  const problems: string[] = []
  if (trouble.unsaved)
    problems.push(`${deliveries(trouble.unsaved)} could not be saved to ${saveDir} (answered 500)`)
  if (trouble.abandoned)
    problems.push(
      `stdout did not drain within ${STOP_GRACE_MS / 1000} s of the stop: ${deliveries(trouble.abandoned)} answered 503`,
    )
  const stdoutError = trouble.stdout as NodeJS.ErrnoException | undefined
  if (stdoutError && stdoutError.code !== 'EPIPE')
    problems.push(`cannot write to stdout (${stdoutError.message})`)
  if (problems.length)
    throw new KickError(`${problems.join('; ')}: Kick sends what was not answered 200 again`)
  return stdoutError ? ExitCode.failure : ExitCode.ok
}

function banner(
  settings: ListenSettings,
  localUrl: string,
  publicUrl: string | undefined,
  source: KeySource,
): void {
  const from: Record<KeySource, string> = {
    file: `from ${settings.publicKeyFile}`,
    cache: `cached from ${settings.apiUrl}`,
    fetched: `from ${settings.demo ? 'the demo Kick' : settings.apiUrl}`,
    documented: "from Kick's docs",
  }
  const keys = settings.demo
    ? 'the local development key (served by the demo Kick)'
    : `Kick's public key (${from[source]})${settings.acceptDevSignatures ? ' and the local development key' : ''}`
  const lines = [`Listening on ${localUrl}`, `Verifying signatures with ${keys}`]
  lines.push(
    settings.maxAgeMs
      ? `Rejecting deliveries older than ${formatDuration(settings.maxAgeMs)} as replays`
      : 'Replay window off (--max-age 0)',
  )
  if (settings.demo) lines.push('Demo: a local mock Kick sends sample events, no account or network needed')
  else if (publicUrl) lines.push(`Webhook URL for your Kick app (Kick has no API to set it): ${publicUrl}`)
  else if (isLoopback(settings.apiUrl))
    lines.push(`A local Kick (${settings.apiUrl}) can deliver here: start it with --webhook-url ${localUrl}`)
  else
    lines.push(
      "Kick only delivers to a public URL: add --tunnel cloudflared|ngrok|localtunnel or --public-url URL, then set it as your app's Webhook URL",
    )
  if (settings.forwardTo) lines.push(`Forwarding each event to ${settings.forwardTo}`)
  lines.push(
    settings.count
      ? `Stopping after ${settings.count} event${settings.count === 1 ? '' : 's'}; Ctrl-C stops sooner`
      : 'Ctrl-C to stop',
  )
  for (const line of lines) settings.note(line)
}

/** A server that cannot listen, as one line naming the flag to change. */
function listenError(error: NodeJS.ErrnoException, settings: ListenSettings): Error {
  const where = `${settings.host}:${settings.port}`
  if (error.code === 'EADDRINUSE')
    return new KickError(
      `--port ${settings.port}: ${where} is already in use: pick another --port, or leave it out for a free one`,
    )
  if (error.code === 'EACCES')
    return new KickError(
      `--port ${settings.port}: not allowed to listen on ${where} (ports below 1024 need privileges)`,
    )
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new UsageError(`--host ${settings.host}: not an address of this machine`)
  return error
}

/** A Kick on this machine (`kick mock start`) can reach the listener without a tunnel. */
function isLoopback(url: string): boolean {
  try {
    return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(url).hostname)
  } catch {
    return false
  }
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path
}

async function subscribe(
  client: KickClient,
  events: readonly EventType[],
  broadcasterUserId: number,
  note: (line: string) => void,
): Promise<SubscribeResult[]> {
  const data = await createSubscriptions(client, events, { broadcasterUserId })
  const ids = subscribedIds(data)
  const failed = data.filter((result) => result.error)
  if (failed.length && !ids.length) {
    throw new KickError(
      `Kick refused every subscription (${failed.map((r) => `${r.name}: ${r.error}`).join('; ')})`,
    )
  }
  for (const result of failed) note(`not subscribed to ${result.name}: ${result.error}`)
  const count = events.length - failed.length
  if (ids.length) {
    note(`Subscribed to ${count} event type${count === 1 ? '' : 's'} of broadcaster ${broadcasterUserId}`)
  }
  return data
}

function subscribedIds(results: readonly SubscribeResult[]): string[] {
  return createdSubscriptions(results).map((result) => result.subscription_id!)
}

/**
 * A subscription Kick answered 200 for but does not list (KDD#419) never delivers: the listener would wait
 * for events that cannot come. Each is named on stderr and the run ends at once with exit 1; what was created
 * is unsubscribed on the way out, as on any stop.
 */
async function checkKept(
  client: KickClient,
  results: readonly SubscribeResult[],
  note: (line: string) => void,
): Promise<void> {
  const notKept = await subscriptionsNotKept(client, results)
  if (!notKept.length) return
  for (const result of notKept) note(notKeptLine(result))
  throw new KickError(notKeptMessage(notKept.length, subscribedIds(results).length))
}

async function unsubscribe(
  client: KickClient,
  ids: readonly string[],
  note: (line: string) => void,
): Promise<void> {
  try {
    await client.call('eventsUnsubscribe', { query: { id: ids } })
    note(`Unsubscribed ${ids.length} subscription${ids.length === 1 ? '' : 's'}`)
  } catch (error) {
    throw new KickError(
      `could not unsubscribe (${(error as Error).message}): run \`kick events unsubscribe ${ids.join(' ')}\``,
      (error as KickError).exitCode ?? 1,
    )
  }
}
