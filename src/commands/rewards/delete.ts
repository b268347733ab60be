import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { yesFlag } from '../../flags.js'
import { checkUlid } from '../../kick/limits.js'
import type { Reward } from '../../kick/types.js'

export default class RewardsDelete extends KickCommand<typeof RewardsDelete> {
  static summary = 'Delete a channel points reward (only the app that created it may)'
  static examples = ['<%= config.bin %> rewards delete 01KBHE78QE4HZY1617DK5FC7YD --yes']

  static args = {
    id: Args.string({ description: 'reward id (see `kick rewards list`)', required: true }),
  }

  static flags = { yes: yesFlag }

  async run(): Promise<{ deleted: string }> {
    const id = checkUlid('reward id', this.args.id)
    await this.confirm(async () => {
      const title = await this.lookUp(
        async (kick) =>
          (await kick.call<Reward[]>('rewardsList')).data.find((reward) => reward.id === id)?.title,
      )
      return title === undefined ? `Delete reward ${id}?` : `Delete reward "${title}" (${id})?`
    }, this.flags.yes)
    const kick = await this.kick()
    await kick.call('rewardsDelete', { params: { id } })
    this.done(`Deleted reward ${id}`)
    return { deleted: id }
  }
}
