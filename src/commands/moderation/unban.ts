import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { broadcasterIdFlag, yesFlag } from '../../flags.js'

export default class ModerationUnban extends KickCommand<typeof ModerationUnban> {
  static summary = 'Lift a ban or timeout'
  static examples = ['<%= config.bin %> moderation unban 123456 --yes']

  static args = {
    'user-id': Args.integer({ description: 'user id of the viewer', required: true, min: 1 }),
  }

  static flags = {
    'broadcaster-id': broadcasterIdFlag,
    yes: yesFlag,
  }

  async run(): Promise<{ unbanned: number; broadcaster_user_id: number }> {
    const userId = this.args['user-id']
    const broadcasterId = await this.broadcasterId(this.flags['broadcaster-id'])
    await this.confirm(`Unban user ${userId} in channel ${broadcasterId}?`, this.flags.yes)
    const kick = await this.kick()
    await kick.call('moderationUnban', { body: { broadcaster_user_id: broadcasterId, user_id: userId } })
    this.done(`Unbanned user ${userId} in channel ${broadcasterId}`)
    return { unbanned: userId, broadcaster_user_id: broadcasterId }
  }
}
