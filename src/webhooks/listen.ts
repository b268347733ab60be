import { KickError } from '../errors.js'
import type { KickClient } from '../kick/client.js'
import { EVENT_TYPES, type EventType } from '../kick/events.js'
import type { SubscribeResult } from '../kick/types.js'
import { formatDuration } from './duration.js'
import { type ListenerOptions, WebhookListener } from './listener.js'
import { PublicKeys, type KeySource } from './public-key.js'
import type { Tunnel, TunnelKind } from './tunnels/tunnel.js'

export interface ListenSettings extends Omit<ListenerOptions, 'log'> {
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
  }
  /** `--demo`: an in-process mock Kick streaming signed sample events through this listener */
  demo?: { intervalMs: number }
  /** a line on stderr */
  note: (line: string) => void
  warn: (line: string) => void
  /** resolves on SIGINT/SIGTERM */
  interrupted: Promise<string>
}

/** What a demo needs from `src/mock`: started lazily, only with `--demo`. */
interface DemoKick {
  url: string
  trigger: MockTrigger
  close(): Promise<void>
}

/**
 * `kick listen` from start to finish: keys, server, tunnel, subscriptions (or the demo's mock Kick), then
 * events until `--count`, SIGINT/SIGTERM or a closed stdout; then stop accepting, finish in-flight requests,
 * flush stdout, unsubscribe and close everything it opened.
 */
export async function runListen(settings: ListenSettings): Promise<void> {
  const listener = new WebhookListener({ ...settings, log: settings.note })
  let tunnel: Tunnel | undefined
  let demo: Demo | undefined
  let demoTimer: NodeJS.Timeout | undefined
  let client: KickClient | undefined
  const created: string[] = []
  let listening = false

  try {
    const localUrl = await listener.start()
    let keySource: KeySource
    if (settings.demo) {
      demo = await startDemo(localUrl)
      client = demo.client
      const keys = await PublicKeys.resolve({
        apiUrl: demo.mock.url,
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
          cancel: settings.interrupted,
          warn: settings.warn,
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
      created.push(...(await subscribe(client, settings.subscribe.events, broadcaster, settings.note)))
    } else if (demo && settings.demo) {
      created.push(...(await subscribe(demo.client, EVENT_TYPES, demo.broadcaster, settings.note)))
      demoTimer = startDemoStream(demo, settings.demo.intervalMs, settings.warn)
    }

    const why = await Promise.race([listener.finished, settings.interrupted])
    settings.note(`stopping: ${why}`)
  } finally {
    if (demoTimer) clearInterval(demoTimer)
    await listener.stop()
    try {
      if (created.length && client) await unsubscribe(client, created, settings.note)
    } finally {
      await tunnel?.close()
      await demo?.mock.close()
      if (listening)
        settings.note(`${listener.printedCount} event${listener.printedCount === 1 ? '' : 's'} printed`)
    }
  }
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
    settings.count ? `Stopping after ${settings.count} events; Ctrl-C stops sooner` : 'Ctrl-C to stop',
  )
  for (const line of lines) settings.note(line)
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
): Promise<string[]> {
  const { data } = await client.call<SubscribeResult[]>('eventsSubscribe', {
    body: {
      method: 'webhook',
      events: events.map((name) => ({ name, version: 1 })),
      broadcaster_user_id: broadcasterUserId,
    },
  })
  const ids = data
    .filter((result) => result.subscription_id && !result.error)
    .map((result) => result.subscription_id!)
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
  return ids
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

interface Demo {
  mock: DemoKick
  client: KickClient
  /** the mock's logged-in user, whose channel the sample events are about */
  broadcaster: number
}

/** The mock Kick of `src/mock`, in-process, delivering to this listener; a client with a token it issued. */
async function startDemo(webhookUrl: string): Promise<Demo> {
  const [{ startMockKick }, { KickClient }, { fixedTokenProvider }] = await Promise.all([
    import('../mock/server.js'),
    import('../kick/client.js'),
    import('../auth/token-provider.js'),
  ])
  // no retries: a rejected demo event is reported once, not re-sent for half a minute
  const mock = await startMockKick({ port: 0, webhookUrl, webhookRetryDelaysMs: [] })
  const grant = mock.issueToken({ kind: 'user', scopes: ['events:subscribe'] })
  const client = new KickClient({
    settings: { apiUrl: mock.url, authUrl: mock.url },
    tokens: fixedTokenProvider({
      value: grant.access_token,
      kind: 'user',
      scopes: ['events:subscribe'],
      source: 'env',
    }),
  })
  return { mock, client, broadcaster: mock.state.loginUserId }
}

type MockTrigger = (
  event: EventType,
  options?: { broadcasterUserId?: number; set?: Record<string, unknown> },
) => Promise<void>

const DEMO_CHAT = [
  'gg',
  'that play was insane',
  'first time here, hi!',
  'KEKW [emote:37226:KEKW]',
  'when is the next stream?',
]
const DEMO_KICKS = [100, 500, 1000, 50]
const DEMO_VIEWERS = [
  'pixelqueen',
  'lurker42',
  'speedrun_sam',
  'kappa_kid',
  'night_owl',
  'ggwp_gina',
  'modbot3000',
]

/** Who did it, per event type: the sample's user object that a viewer's name goes into. */
const DEMO_ACTOR: Partial<Record<EventType, string>> = {
  'chat.message.sent': 'sender',
  'channel.followed': 'follower',
  'channel.subscription.renewal': 'subscriber',
  'channel.subscription.new': 'subscriber',
  'channel.subscription.gifts': 'gifter',
  'channel.reward.redemption.updated': 'redeemer',
  'moderation.banned': 'banned_user',
  'kicks.gifted': 'sender',
}

/** Each round of the demo differs a little, so the stream reads like a channel and not a loop. */
function demoVariation(type: EventType, round: number, index: number): Record<string, unknown> {
  const actor = DEMO_ACTOR[type]
  const viewer = DEMO_VIEWERS[index % DEMO_VIEWERS.length]!
  const who = actor ? { [`${actor}.username`]: viewer, [`${actor}.channel_slug`]: viewer } : {}
  if (type === 'chat.message.sent')
    return { ...who, content: DEMO_CHAT[round % DEMO_CHAT.length], emotes: null }
  if (type === 'kicks.gifted') return { ...who, 'gift.amount': DEMO_KICKS[round % DEMO_KICKS.length] }
  if (type === 'livestream.status.updated')
    return round % 2
      ? { is_live: false, title: DEMO_TITLE, ended_at: new Date().toISOString() }
      : { title: DEMO_TITLE }
  if (type === 'livestream.metadata.updated')
    return { 'metadata.title': DEMO_TITLE, 'metadata.category.name': 'Valorant' }
  if (type === 'moderation.banned')
    return { ...who, 'moderator.username': 'modbot3000', 'metadata.reason': 'spam links' }
  if (type === 'channel.reward.redemption.updated') return { ...who, 'reward.title': 'Song Request' }
  return who
}

const DEMO_TITLE = 'Ranked grind to Radiant'

/** One sample event every `intervalMs`, cycling through the 10 types; each goes through the real listener. */
function startDemoStream(demo: Demo, intervalMs: number, warn: (line: string) => void): NodeJS.Timeout {
  let next = 0
  const fire = (): void => {
    const round = Math.floor(next / EVENT_TYPES.length)
    const index = next
    const type = EVENT_TYPES[next++ % EVENT_TYPES.length]!
    demo.mock
      .trigger(type, { broadcasterUserId: demo.broadcaster, set: demoVariation(type, round, index) })
      .catch((error: Error) => warn(`demo: ${error.message}`))
  }
  fire()
  return setInterval(fire, intervalMs)
}
