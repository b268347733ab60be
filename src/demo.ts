import { EVENT_TYPES, type EventType } from './kick/events.js'
import type { MockKick } from './mock/server.js'
import type { DemoKick } from './webhooks/listen.js'

/**
 * `kick listen --demo`: the mock Kick of `src/mock`, in-process, delivering signed sample events to the
 * listener at `webhookUrl`, and a client with a token it issued. Wired here, above both `src/webhooks` and
 * `src/mock` (the mock signs with the webhooks' development-key code), so neither imports the other.
 */
export async function startDemoKick(webhookUrl: string, intervalMs: number): Promise<DemoKick> {
  const [{ startMockKick }, { KickClient }, { fixedTokenProvider }] = await Promise.all([
    import('./mock/server.js'),
    import('./kick/client.js'),
    import('./auth/token-provider.js'),
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
  const broadcaster = mock.state.loginUserId
  return {
    url: mock.url,
    client,
    broadcaster,
    stream(warn) {
      const timer = startDemoStream(
        (type, options) => mock.trigger(type, options),
        broadcaster,
        intervalMs,
        warn,
      )
      return () => clearInterval(timer)
    },
    close: () => mock.close(),
  }
}

type MockTrigger = MockKick['trigger']

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
function startDemoStream(
  trigger: MockTrigger,
  broadcasterUserId: number,
  intervalMs: number,
  warn: (line: string) => void,
): NodeJS.Timeout {
  let next = 0
  const fire = (): void => {
    const round = Math.floor(next / EVENT_TYPES.length)
    const index = next
    const type = EVENT_TYPES[next++ % EVENT_TYPES.length]!
    trigger(type, { broadcasterUserId, set: demoVariation(type, round, index) }).catch((error: Error) =>
      warn(`demo: ${error.message}`),
    )
  }
  fire()
  return setInterval(fire, intervalMs)
}
