/** Shapes of Kick's answers (REFERENCE.md §2), as far as the CLI reads them. */

export interface User {
  user_id: number
  name: string
  email: string
  profile_picture: string
}

export interface Category {
  id: number
  name: string
  thumbnail: string
  tags?: string[] | null
  viewer_count?: number
}

export interface Channel {
  broadcaster_user_id: number
  slug: string
  channel_description: string
  banner_picture: string
  stream_title: string
  category: Category
  stream: {
    url?: string
    key?: string
    is_live?: boolean
    is_mature?: boolean
    language?: string
    start_time?: string
    viewer_count?: number
    thumbnail?: string
    custom_tags?: string[]
  }
  active_subscribers_count?: number
  canceled_subscribers_count?: number
}

export interface Reward {
  id: string
  title: string
  description: string
  cost: number
  background_color: string
  is_enabled: boolean
  is_paused: boolean
  is_user_input_required: boolean
  should_redemptions_skip_request_queue: boolean
}

export interface RedemptionGroup {
  reward: {
    id: string
    title: string
    description: string
    cost: number
    can_manage: boolean
    is_deleted: boolean
  }
  redemptions: {
    id: string
    redeemed_at: string
    redeemer: { user_id: number }
    status: 'pending' | 'accepted' | 'rejected'
    user_input: string
  }[]
}

export interface FailedRedemption {
  id: string
  reason: 'UNKNOWN' | 'NOT_PENDING' | 'NOT_FOUND' | 'NOT_OWNED'
}

export interface LivestreamV1 {
  broadcaster_user_id: number
  channel_id: number
  slug: string
  stream_title: string
  language: string
  has_mature_content: boolean
  viewer_count: number
  thumbnail: string
  started_at: string
  category: Category
  custom_tags: string[]
  profile_picture: string
}

export interface LivestreamV2 {
  id: string
  title: string
  thumbnail: string
  viewer_count: number
  started_at: string
  language_code: string
  has_mature_content: boolean
  tags: string[]
  category: Category
  broadcaster_user: { id: number; username: string; profile_picture: string }
  channel: { slug: string }
}

export interface LeaderboardEntry {
  rank: number
  user_id: number
  username: string
  gifted_amount: number
}

export interface Subscription {
  app_id: string
  broadcaster_user_id: number
  created_at: string
  event: string
  id: string
  method: 'webhook'
  updated_at: string
  version: number
}

export interface SubscribeResult {
  name: string
  version: number
  subscription_id?: string
  error?: string
}

export interface DropsClaim {
  claim_id: string
  user_id: number
  campaign_id: string
  reward_id: string
  external_id: string
  external_status: string
  created_at: string
  updated_at: string
}

export interface TokenGrant {
  access_token: string
  token_type: string
  expires_in: number
  scope?: string
  refresh_token?: string
}

export interface Introspection {
  active: boolean
  client_id: string | null
  token_type: 'app' | 'user' | null
  scope: string | null
  exp: number | null
}
