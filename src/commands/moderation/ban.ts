import { Args, type Command, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { broadcasterIdFlag } from '../../flags.js'
import { checkBanReason } from '../../kick/limits.js'

/** Kick answers a ban with `{}`: this says what was done instead. */
export interface BanResult {
  banned?: number
  timed_out?: number
  broadcaster_user_id: number
  duration?: number
  reason?: string
}

/** A ban and a timeout are one endpoint; a timeout is a ban with a duration in minutes. */
export abstract class BanCommand<T extends typeof Command> extends KickCommand<T> {
  static args = {
    'user-id': Args.integer({ description: 'user id of the viewer', required: true, min: 1 }),
  }

  static flags = {
    'broadcaster-id': broadcasterIdFlag,
    reason: Flags.string({ description: 'why, shown to moderators (up to 100 characters)' }),
  }

  protected async ban(
    userId: number,
    flags: { 'broadcaster-id'?: number; reason?: string },
    minutes?: number,
  ): Promise<BanResult> {
    const reason = flags.reason === undefined ? undefined : checkBanReason(flags.reason)
    const broadcasterId = await this.broadcasterId(flags['broadcaster-id'])
    const kick = await this.kick()
    await kick.call('moderationBan', {
      body: { broadcaster_user_id: broadcasterId, user_id: userId, duration: minutes, reason },
    })
    if (minutes === undefined) {
      this.done(`Banned user ${userId} in channel ${broadcasterId}`)
      return { banned: userId, broadcaster_user_id: broadcasterId, reason }
    }
    this.done(
      `Timed out user ${userId} in channel ${broadcasterId} for ${minutes} minute${minutes === 1 ? '' : 's'}`,
    )
    return { timed_out: userId, broadcaster_user_id: broadcasterId, duration: minutes, reason }
  }
}

export default class ModerationBan extends BanCommand<typeof ModerationBan> {
  static summary = 'Ban a user from a channel permanently (see `moderation timeout` for a while)'
  static examples = ['<%= config.bin %> moderation ban 123456 --reason "spam"']

  async run(): Promise<BanResult> {
    return this.ban(this.args['user-id'], this.flags)
  }
}
