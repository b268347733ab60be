import { Args, Flags } from '@oclif/core'

import { KickCommand, UsageError } from '../../base-command.js'
import { checkUlid } from '../../kick/limits.js'
import type { Reward } from '../../kick/types.js'
import { rewardBody, rewardFlags, rewardSummary } from './create.js'

export default class RewardsUpdate extends KickCommand<typeof RewardsUpdate> {
  static summary = 'Change a channel points reward (only the app that created it may)'
  static examples = [
    '<%= config.bin %> rewards update 01KBHE78QE4HZY1617DK5FC7YD --cost 250',
    '<%= config.bin %> rewards update 01KBHE78QE4HZY1617DK5FC7YD --paused',
  ]

  static args = {
    id: Args.string({ description: 'reward id (see `kick rewards list`)', required: true }),
  }

  static flags = {
    ...rewardFlags,
    paused: Flags.boolean({ description: 'viewers see it but cannot redeem it for now', allowNo: true }),
  }

  async run(): Promise<Reward> {
    const id = checkUlid('reward id', this.args.id)
    const body = rewardBody(this.flags)
    if (Object.keys(body).length === 0) {
      throw new UsageError('nothing to change: pass at least one of the reward flags (see --help)')
    }
    const kick = await this.kick()
    const { data } = await kick.call<Reward>('rewardsUpdate', { params: { id }, body })
    this.summary(rewardSummary(data))
    return data
  }
}
