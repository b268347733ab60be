import { ulid } from '../kick/events.js'
import { type MockChannel, type MockState, type MockUser, ZERO_TIME } from './state.js'

/**
 * What `--seed FILE` holds (JSON). Users and channels are added to the built-in ones (an id that already
 * exists is replaced). The first user listed is the one the OAuth flow logs in as.
 *
 * ```json
 * {
 *   "users": [{ "user_id": 42, "name": "mybot", "email": "bot@example.com", "profile_picture": "" }],
 *   "channels": [{ "broadcaster_user_id": 42, "slug": "mybot", "stream_title": "testing", "category_id": 15,
 *                  "is_live": true, "viewer_count": 10, "language": "en", "custom_tags": ["dev"] }]
 * }
 * ```
 * A user without a channel entry gets an offline channel whose slug is the user's name.
 */
export interface SeedData {
  users?: SeedUser[]
  channels?: SeedChannel[]
}

export interface SeedUser {
  user_id: number
  name: string
  email?: string
  profile_picture?: string
  is_verified?: boolean
}

export interface SeedChannel {
  broadcaster_user_id: number
  slug?: string
  channel_description?: string
  stream_title?: string
  category_id?: number
  custom_tags?: string[]
  is_live?: boolean
  is_mature?: boolean
  language?: string
  viewer_count?: number
  started_at?: string
  /** user ids who may ban and time out in this channel */
  moderator_user_ids?: number[]
}

/** Checks a parsed seed file and says exactly what is wrong (the CLI shows it and exits 2). */
export function parseSeed(value: unknown): SeedData {
  const fail = (what: string): never => {
    throw new Error(`seed: ${what}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('the file must hold a JSON object')
  const seed = value as Record<string, unknown>
  for (const key of Object.keys(seed))
    if (key !== 'users' && key !== 'channels') fail(`unknown key "${key}" (expected users, channels)`)
  const list = (key: string): Record<string, unknown>[] => {
    const items = seed[key] ?? []
    if (!Array.isArray(items)) fail(`${key} must be an array`)
    return (items as unknown[]).map((item, i) => {
      if (typeof item !== 'object' || item === null) fail(`${key}[${i}] must be an object`)
      return item as Record<string, unknown>
    })
  }
  const id = (item: Record<string, unknown>, key: string, where: string): number => {
    const n = item[key]
    if (!Number.isInteger(n) || (n as number) < 1) fail(`${where}.${key} must be a positive integer`)
    return n as number
  }
  const optional = (item: Record<string, unknown>, key: string, type: string, where: string): void => {
    if (item[key] !== undefined && typeof item[key] !== type) fail(`${where}.${key} must be a ${type}`)
  }
  const users = list('users').map((item, i) => {
    const where = `users[${i}]`
    id(item, 'user_id', where)
    if (typeof item.name !== 'string' || item.name === '') fail(`${where}.name must be a non-empty string`)
    optional(item, 'email', 'string', where)
    optional(item, 'profile_picture', 'string', where)
    optional(item, 'is_verified', 'boolean', where)
    return item as unknown as SeedUser
  })
  const channels = list('channels').map((item, i) => {
    const where = `channels[${i}]`
    id(item, 'broadcaster_user_id', where)
    for (const key of ['slug', 'channel_description', 'stream_title', 'language', 'started_at'])
      optional(item, key, 'string', where)
    for (const key of ['is_live', 'is_mature']) optional(item, key, 'boolean', where)
    for (const key of ['category_id', 'viewer_count']) optional(item, key, 'number', where)
    if (item.custom_tags !== undefined && !isStringArray(item.custom_tags))
      fail(`${where}.custom_tags must be an array of strings`)
    const moderators = item.moderator_user_ids
    if (
      moderators !== undefined &&
      !(Array.isArray(moderators) && moderators.every((id) => Number.isInteger(id) && id > 0))
    )
      fail(`${where}.moderator_user_ids must be an array of positive integers`)
    return item as unknown as SeedChannel
  })
  return { users, channels }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

const CATEGORY_NAMES = [
  ['Just Chatting', 'irl'],
  ['Slots & Casino', 'gambling'],
  ['Grand Theft Auto V', 'action'],
  ['Counter-Strike 2', 'fps'],
  ['Fortnite', 'battle royale'],
  ['Minecraft', 'sandbox'],
  ['League of Legends', 'moba'],
  ['Valorant', 'fps'],
  ['Call of Duty: Warzone', 'fps'],
  ['Apex Legends', 'battle royale'],
  ['Rust', 'survival'],
  ['Dota 2', 'moba'],
  ['Old School Runescape', 'mmorpg'],
  ['World of Warcraft', 'mmorpg'],
  ['Elden Ring', 'rpg'],
  ['Music', 'creative'],
  ['Art', 'creative'],
  ['Poker', 'gambling'],
  ['Sports', 'irl'],
  ['Travel & Outdoors', 'irl'],
  ['Pools, Hot Tubs & Bikinis', 'irl'],
  ['Chess', 'strategy'],
  ['Escape from Tarkov', 'fps'],
  ['Dead by Daylight', 'horror'],
  ['Overwatch 2', 'fps'],
  ['Rocket League', 'sports'],
  ['EA Sports FC 25', 'sports'],
  ['NBA 2K25', 'sports'],
  ['Hearthstone', 'card'],
  ['Teamfight Tactics', 'strategy'],
  ['Path of Exile 2', 'rpg'],
  ['Diablo IV', 'rpg'],
  ['Baldur’s Gate 3', 'rpg'],
  ['The Sims 4', 'simulation'],
  ['Euro Truck Simulator 2', 'simulation'],
  ['Gaming Cafe Simulator', 'simulation'],
  ['Miniature Wargaming', 'tabletop'],
  ['Lethal Company', 'horror'],
  ['Phasmophobia', 'horror'],
  ['Among Us', 'party'],
  ['Fall Guys', 'party'],
  ['Retro', 'retro'],
  ['Speedrunning', 'retro'],
  ['Science & Technology', 'creative'],
  ['Software and Game Development', 'creative'],
  ['Food & Drink', 'irl'],
  ['ASMR', 'irl'],
  ['Fitness & Health', 'irl'],
  ['Talk Shows & Podcasts', 'irl'],
  ['Marvel Rivals', 'fps'],
  ['PUBG: Battlegrounds', 'battle royale'],
  ['Dark and Darker', 'rpg'],
  ['Palworld', 'survival'],
  ['Stardew Valley', 'simulation'],
  ['Hollow Knight', 'platformer'],
] as const

const LANGUAGES = ['en', 'en', 'es', 'pt', 'de', 'fr', 'tr', 'ar'] as const
const TITLES = [
  'Chill stream, come hang out',
  'Ranked grind until we hit the next rank',
  'First time playing — no spoilers!',
  'Viewer games tonight',
  'Road to 1000 followers',
  '24h stream, day 1',
  'Bonus hunt: 50 bonuses open',
  'Speedrun attempts, PB or bust',
] as const

const picture = (id: number): string =>
  `https://files.kick.com/images/user/${id}/profile_image/conversion/mock-fullsize.webp`

/** The built-in world: a logged-in streamer with rewards and redemptions, a bot, chatters, 40 other streamers. */
export function seedDefaults(state: MockState, now = Date.now()): void {
  CATEGORY_NAMES.forEach(([name, tag], i) => {
    const id = i === 0 ? 15 : 1000 + i
    state.categories.set(id, {
      id,
      name,
      thumbnail: `https://files.kick.com/images/subcategories/${id}/banner/mock-banner.webp`,
      tags: [tag],
    })
  })
  const categoryIds = [...state.categories.keys()]

  const people: [number, string][] = [
    [100001, 'mockstreamer'],
    [100002, 'mockbot'],
    [100003, 'chatter_one'],
    [100004, 'chatter_two'],
    [100005, 'chatter_three'],
    [100006, 'generous_gifter'],
  ]
  for (const [id, name] of people) addUser(state, { user_id: id, name, is_verified: id === 100001 })
  for (let i = 1; i <= 40; i++) {
    addUser(state, { user_id: 200000 + i, name: `streamer${String(i).padStart(2, '0')}` })
  }

  addChannel(
    state,
    {
      broadcaster_user_id: 100001,
      stream_title: 'Building a Kick bot live',
      channel_description: 'Software, chat and a little chaos.',
      category_id: 15,
      custom_tags: ['english', 'dev'],
      is_live: true,
      viewer_count: 128,
      language: 'en',
      started_at: isoSeconds(now - 3600_000),
      // the bot moderates its streamer's channel; the streamer moderates nowhere else
      moderator_user_ids: [100002],
    },
    now,
  )
  for (let i = 1; i <= 40; i++) {
    const live = i % 4 !== 0 // 30 of 40 are live: several pages of livestreams at small limits
    addChannel(
      state,
      {
        broadcaster_user_id: 200000 + i,
        stream_title: TITLES[i % TITLES.length],
        category_id: categoryIds[(i * 7) % categoryIds.length],
        custom_tags: i % 3 === 0 ? ['chill'] : [],
        is_live: live,
        is_mature: i % 5 === 0,
        viewer_count: live ? ((i * 7919) % 20000) + 5 : 0,
        language: LANGUAGES[i % LANGUAGES.length],
        started_at: live ? isoSeconds(now - (41 - i) * 900_000) : undefined,
      },
      now,
    )
  }
  state.loginUserId = 100001

  const own = 100001
  const rewards = [
    { title: 'Song Request', cost: 100, description: 'Request a song by providing a URL', input: true },
    { title: 'Hydrate!', cost: 50, description: 'Make the streamer drink water', input: false },
    { title: 'Unban Request', cost: 1000, description: 'Request to have your ban lifted', input: true },
  ]
  const rewardIds = rewards.map((reward, i) => {
    const id = ulid(now - 86_400_000 + i)
    state.rewards.set(id, {
      id,
      title: reward.title,
      description: reward.description,
      cost: reward.cost,
      background_color: '#00e701',
      is_enabled: true,
      is_paused: false,
      is_user_input_required: reward.input,
      should_redemptions_skip_request_queue: false,
      broadcaster_user_id: own,
      // '*': made by "an app" any client id may manage, so a fresh client can accept these redemptions
      app_id: '*',
      is_deleted: false,
    })
    return id
  })
  const dashboardReward = ulid(now - 86_400_000 + 9)
  state.rewards.set(dashboardReward, {
    id: dashboardReward,
    title: 'VIP for a day',
    description: 'Made on the Kick dashboard: no app may manage it',
    cost: 5000,
    background_color: '#ff5733',
    is_enabled: true,
    is_paused: false,
    is_user_input_required: false,
    should_redemptions_skip_request_queue: false,
    broadcaster_user_id: own,
    app_id: null,
    is_deleted: false,
  })

  const redemptions: [string, number, string, MockRedemptionStatus][] = [
    [rewardIds[0]!, 100003, 'https://youtu.be/dQw4w9WgXcQ', 'pending'],
    [rewardIds[0]!, 100004, 'https://youtu.be/9bZkp7q19f0', 'pending'],
    [rewardIds[0]!, 100005, 'something chill please', 'accepted'],
    [rewardIds[1]!, 100003, '', 'pending'],
    [rewardIds[1]!, 100006, '', 'pending'],
    [rewardIds[1]!, 100004, '', 'rejected'],
    [rewardIds[2]!, 100005, 'sorry mr strimer', 'pending'],
    [dashboardReward, 100006, '', 'pending'],
  ]
  redemptions.forEach(([rewardId, redeemer, input, status], i) => {
    const redeemedAt = now - (redemptions.length - i) * 60_000
    const id = ulid(redeemedAt)
    state.redemptions.set(id, {
      id,
      reward_id: rewardId,
      broadcaster_user_id: own,
      redeemer_user_id: redeemer,
      user_input: input,
      status,
      redeemed_at: isoSeconds(redeemedAt),
    })
  })

  const entry = (rank: number, userId: number, amount: number) => ({
    rank,
    user_id: userId,
    username: state.user(userId)!.name,
    gifted_amount: amount,
  })
  state.leaderboards.set(own, {
    lifetime: [entry(1, 100006, 25000), entry(2, 100003, 4200), entry(3, 100005, 900), entry(4, 100004, 100)],
    month: [entry(1, 100006, 5000), entry(2, 100005, 900), entry(3, 100003, 200)],
    week: [entry(1, 100005, 500), entry(2, 100006, 100)],
  })

  const campaigns = [ulid(now - 30 * 86_400_000), ulid(now - 20 * 86_400_000)]
  for (let i = 0; i < 25; i++) {
    const created = isoSeconds(now - (25 - i) * 3600_000)
    const claimId = ulid(now - (25 - i) * 3600_000)
    state.dropsClaims.set(claimId, {
      claim_id: claimId,
      user_id: i % 2 === 0 ? 100003 + (i % 4) : 200001 + i,
      campaign_id: campaigns[i % 2]!,
      reward_id: campaigns[i % 2]!.slice(0, 20) + String(i % 3).padStart(6, '0'),
      external_id: `sku-${(i % 3) + 1}`,
      external_status: i < 5 ? 'processed' : 'initiated',
      created_at: created,
      updated_at: created,
    })
  }
}

type MockRedemptionStatus = 'pending' | 'accepted' | 'rejected'

/** Loads `--seed` data over the built-in world; its first user becomes the one the OAuth flow logs in as. */
export function applySeed(state: MockState, seed: SeedData, now = Date.now()): void {
  for (const user of seed.users ?? []) {
    addUser(state, user)
    if (!seed.channels?.some((channel) => channel.broadcaster_user_id === user.user_id))
      addChannel(state, { broadcaster_user_id: user.user_id }, now)
  }
  for (const channel of seed.channels ?? []) {
    if (!state.users.has(channel.broadcaster_user_id))
      addUser(state, {
        user_id: channel.broadcaster_user_id,
        name: channel.slug ?? `user${channel.broadcaster_user_id}`,
      })
    addChannel(state, channel, now)
  }
  const first = seed.users?.[0]?.user_id ?? seed.channels?.[0]?.broadcaster_user_id
  if (first !== undefined) state.loginUserId = first
}

export function addUser(state: MockState, user: SeedUser): void {
  const full: MockUser = {
    user_id: user.user_id,
    name: user.name,
    email: user.email ?? `${user.name.toLowerCase().replace(/[^a-z0-9_]/g, '')}@example.com`,
    profile_picture: user.profile_picture ?? picture(user.user_id),
    is_verified: user.is_verified ?? false,
  }
  state.users.set(full.user_id, full)
}

function addChannel(state: MockState, seed: SeedChannel, now: number): void {
  const id = seed.broadcaster_user_id
  const slug = seed.slug ?? state.user(id)?.name.toLowerCase().replace(/_/g, '-') ?? `user${id}`
  const live = seed.is_live ?? false
  const channel: MockChannel = {
    broadcaster_user_id: id,
    slug,
    channel_description: seed.channel_description ?? '',
    banner_picture: 'https://kick.com/img/default-banner-pictures/default2.jpeg',
    stream_title: seed.stream_title ?? '',
    category_id: seed.category_id ?? 0,
    custom_tags: seed.custom_tags ?? [],
    is_live: live,
    is_mature: seed.is_mature ?? false,
    language: seed.language ?? 'en',
    started_at: live ? (seed.started_at ?? isoSeconds(now - 600_000)) : ZERO_TIME,
    viewer_count: live ? (seed.viewer_count ?? 0) : 0,
    thumbnail: live ? `https://images.kick.com/video_thumbnails/mock/${slug}/480.webp` : '',
    // a replaced channel keeps its stream id; a new one takes the next free number
    livestream_id: state.channels.get(id)?.livestream_id ?? 5_000_001 + state.channels.size,
    stream_url: 'rtmps://fa723fc1b171.global-contribute.live-video.net',
    stream_key: `sk_us-west-2_mock${id}`,
    active_subscribers_count: (id * 13) % 300,
    canceled_subscribers_count: (id * 7) % 12,
    moderator_user_ids: seed.moderator_user_ids ?? [],
  }
  state.channels.set(id, channel)
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A time with nanoseconds, as Kick writes a chat message's `created_at` (`2025-08-20T07:05:42.561408909Z`):
 * the milliseconds of `ms`, then six digits below them from the high-resolution clock.
 */
export function isoNanoseconds(ms: number): string {
  const below = String(process.hrtime.bigint() % 1_000_000n).padStart(6, '0')
  return new Date(ms).toISOString().replace(/Z$/, `${below}Z`)
}

/** Reads and checks a `--seed` file; a problem is a usage error naming the file. */
export async function loadSeedFile(file: string): Promise<SeedData> {
  const { readFile } = await import('node:fs/promises')
  const { UsageError } = await import('../errors.js')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read seed file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    )
  }
  try {
    return parseSeed(JSON.parse(text))
  } catch (error) {
    throw new UsageError(
      `${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message}`,
    )
  }
}
