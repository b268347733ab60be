import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import {
  checkBackgroundColour,
  checkRewardCost,
  checkRewardDescription,
  checkRewardTitle,
} from '../../kick/limits.js'
import type { Reward } from '../../kick/types.js'

/** The reward's fields as flags, shared by `rewards create` and `rewards update` (all optional here). */
export const rewardFlags = {
  title: Flags.string({ description: 'title, up to 50 characters' }),
  cost: Flags.integer({ description: 'cost in channel points, at least 1' }),
  description: Flags.string({ description: 'description, up to 200 characters' }),
  'background-color': Flags.string({ description: 'hex colour like #00e701 (Kick default: #00e701)' }),
  enabled: Flags.boolean({ description: 'viewers can redeem it (Kick default: enabled)', allowNo: true }),
  'user-input-required': Flags.boolean({
    description: 'viewers must type a text when redeeming',
    allowNo: true,
  }),
  'skip-queue': Flags.boolean({
    description: 'redemptions are accepted at once instead of waiting in the request queue',
    allowNo: true,
  }),
}

export interface RewardFlagValues {
  title?: string
  cost?: number
  description?: string
  'background-color'?: string
  enabled?: boolean
  paused?: boolean
  'user-input-required'?: boolean
  'skip-queue'?: boolean
}

/** Kick's JSON body for the flags given, each checked against Kick's limits; flags not given are left out. */
export function rewardBody(flags: RewardFlagValues): Partial<Reward> {
  const body: Partial<Reward> = {}
  if (flags.title !== undefined) body.title = checkRewardTitle(flags.title)
  if (flags.cost !== undefined) body.cost = checkRewardCost(flags.cost)
  if (flags.description !== undefined) body.description = checkRewardDescription(flags.description)
  if (flags['background-color'] !== undefined) {
    body.background_color = checkBackgroundColour(flags['background-color'])
  }
  if (flags.enabled !== undefined) body.is_enabled = flags.enabled
  if (flags.paused !== undefined) body.is_paused = flags.paused
  if (flags['user-input-required'] !== undefined) body.is_user_input_required = flags['user-input-required']
  if (flags['skip-queue'] !== undefined) body.should_redemptions_skip_request_queue = flags['skip-queue']
  return body
}

/** A reward as `key: value` lines for a terminal. */
export function rewardSummary(reward: Reward): Record<string, unknown> {
  return {
    id: reward.id,
    title: reward.title,
    cost: reward.cost,
    description: reward.description,
    'background color': reward.background_color,
    enabled: reward.is_enabled,
    paused: reward.is_paused,
    'user input required': reward.is_user_input_required,
    'skips queue': reward.should_redemptions_skip_request_queue,
  }
}

export default class RewardsCreate extends KickCommand<typeof RewardsCreate> {
  static summary = 'Create a channel points reward'
  static examples = [
    '<%= config.bin %> rewards create --title "Hydrate" --cost 500',
    '<%= config.bin %> rewards create --title "Song request" --cost 1000 --user-input-required --no-enabled',
  ]

  static flags = {
    ...rewardFlags,
    title: Flags.string({ description: rewardFlags.title.description, required: true }),
    cost: Flags.integer({ description: rewardFlags.cost.description, required: true }),
  }

  async run(): Promise<Reward> {
    const body = rewardBody(this.flags)
    const kick = await this.kick()
    const { data } = await kick.call<Reward>('rewardsCreate', { body })
    this.summary(rewardSummary(data))
    return data
  }
}
