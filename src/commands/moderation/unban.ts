import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { broadcasterIdFlag, yesFlag } from '../../flags.js'
import type { Channel, User } from '../../kick/types.js'

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
    await this.confirm(async () => {
      const [name, slug] = await Promise.all([
        this.lookUp(
          async (kick) => (await kick.call<User[]>('usersGet', { query: { id: [userId] } })).data[0]?.name,
        ),
        this.lookUp(
          async (kick) =>
            (await kick.call<Channel[]>('channelsGet', { query: { broadcaster_user_id: [broadcasterId] } }))
              .data[0]?.slug,
        ),
      ])
      const user = name === undefined ? `user ${userId}` : `${name} (user ${userId})`
      const channel = slug === undefined ? `channel ${broadcasterId}` : `channel ${slug} (${broadcasterId})`
      return `Unban ${user} in ${channel}?`
    }, this.flags.yes)
    const kick = await this.kick()
    await kick.call('moderationUnban', { body: { broadcaster_user_id: broadcasterId, user_id: userId } })
    this.done(`Unbanned user ${userId} in channel ${broadcasterId}`)
    return { unbanned: userId, broadcaster_user_id: broadcasterId }
  }
}
