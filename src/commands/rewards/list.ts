import { KickCommand } from '../../base-command.js'
import type { Reward } from '../../kick/types.js'

export default class RewardsList extends KickCommand<typeof RewardsList> {
  static summary = "List your channel's channel points rewards"
  static examples = ['<%= config.bin %> rewards list', '<%= config.bin %> rewards list --json']

  async run(): Promise<Reward[]> {
    const kick = await this.kick()
    const { data } = await kick.call<Reward[]>('rewardsList')
    await this.table(data, [
      { header: 'ID', get: (reward) => reward.id },
      { header: 'TITLE', get: (reward) => reward.title },
      { header: 'COST', get: (reward) => reward.cost },
      { header: 'ENABLED', get: (reward) => yesNo(reward.is_enabled) },
      { header: 'PAUSED', get: (reward) => yesNo(reward.is_paused) },
      { header: 'INPUT', get: (reward) => yesNo(reward.is_user_input_required) },
      { header: 'SKIPS QUEUE', get: (reward) => yesNo(reward.should_redemptions_skip_request_queue) },
    ])
    return data
  }
}

function yesNo(value: boolean | undefined): string {
  return value ? 'yes' : 'no'
}
