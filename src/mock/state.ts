import type { DropsClaim, LeaderboardEntry, Reward, Subscription } from '../kick/types.js'
import { TokenStore } from './tokens.js'

export interface MockUser {
  user_id: number
  name: string
  email: string
  profile_picture: string
  is_verified: boolean
}

export interface MockChannel {
  broadcaster_user_id: number
  slug: string
  channel_description: string
  banner_picture: string
  stream_title: string
  /** 0 when none is set (what Kick answers for an unset category) */
  category_id: number
  custom_tags: string[]
  is_live: boolean
  is_mature: boolean
  language: string
  /** RFC 3339; when offline, Kick's zero time */
  started_at: string
  viewer_count: number
  thumbnail: string
  /** the livestream's id while live (v2 livestreams) */
  livestream_id: number
  stream_url: string
  stream_key: string
  active_subscribers_count: number
  canceled_subscribers_count: number
  /** users who may ban and time out in this channel besides its broadcaster */
  moderator_user_ids: number[]
}

export interface MockCategory {
  id: number
  name: string
  thumbnail: string
  tags: string[]
}

export interface MockReward extends Reward {
  broadcaster_user_id: number
  /** the app (client id) that created it: only that app may change it; null = made on Kick's dashboard */
  app_id: string | null
  is_deleted: boolean
}

export interface MockRedemption {
  id: string
  reward_id: string
  broadcaster_user_id: number
  redeemer_user_id: number
  user_input: string
  status: 'pending' | 'accepted' | 'rejected'
  redeemed_at: string
}

export interface MockBan {
  broadcaster_user_id: number
  user_id: number
  moderator_user_id: number
  reason: string
  created_at: string
  /** null: permanent; else the end of the timeout */
  expires_at: string | null
}

export interface MockChatMessage {
  message_id: string
  broadcaster_user_id: number
  sender_user_id: number
  type: 'user' | 'bot'
  content: string
  created_at: string
  reply_to_message_id: string | null
  deleted: boolean
}

export interface MockLeaderboard {
  lifetime: LeaderboardEntry[]
  month: LeaderboardEntry[]
  week: LeaderboardEntry[]
}

export const ZERO_TIME = '0001-01-01T00:00:00Z'

/**
 * Everything the mock knows, in memory for the life of the process. Handlers change it; tests read it.
 * Maps keep insertion order, which is the order lists are answered in.
 */
export class MockState {
  readonly tokens = new TokenStore()
  readonly users = new Map<number, MockUser>()
  readonly channels = new Map<number, MockChannel>()
  readonly categories = new Map<number, MockCategory>()
  readonly rewards = new Map<string, MockReward>()
  readonly redemptions = new Map<string, MockRedemption>()
  readonly bans: MockBan[] = []
  readonly messages = new Map<string, MockChatMessage>()
  readonly subscriptions = new Map<string, Subscription>()
  readonly leaderboards = new Map<number, MockLeaderboard>()
  readonly dropsClaims = new Map<string, DropsClaim>()
  /** the user the OAuth flow logs in as, and issueToken's default */
  loginUserId = 0
  /** `POST /mock/clock` moves the mock's time forward, so a timeout can end without a test waiting for it */
  clockOffsetMs = 0

  /** The mock's time (unix ms): the real clock plus what `/mock/clock` advanced. */
  now(): number {
    return Date.now() + this.clockOffsetMs
  }

  user(id: number): MockUser | undefined {
    return this.users.get(id)
  }

  category(id: number): MockCategory | undefined {
    return this.categories.get(id)
  }

  /** A user by name, as Kick matches usernames: case-insensitively. */
  userNamed(name: string): MockUser | undefined {
    const wanted = name.toLowerCase()
    return [...this.users.values()].find((user) => user.name.toLowerCase() === wanted)
  }

  /** The broadcaster and the channel's moderators may ban and time out there. */
  moderates(userId: number, broadcasterUserId: number): boolean {
    const channel = this.channels.get(broadcasterUserId)
    return userId === broadcasterUserId || (channel?.moderator_user_ids.includes(userId) ?? false)
  }

  /** Channels that are live, oldest stream first. */
  liveChannels(): MockChannel[] {
    return [...this.channels.values()]
      .filter((channel) => channel.is_live)
      .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.livestream_id - b.livestream_id)
  }

  /** The ban or timeout in force for a user in a channel (expired timeouts no longer count). */
  activeBan(broadcasterUserId: number, userId: number): MockBan | undefined {
    const now = this.now()
    return this.bans.find(
      (ban) =>
        ban.broadcaster_user_id === broadcasterUserId &&
        ban.user_id === userId &&
        (ban.expires_at === null || Date.parse(ban.expires_at) > now),
    )
  }
}
