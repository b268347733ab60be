import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { cursorFlags } from '../../flags.js'
import { checkUlid, checkUniqueUlids } from '../../kick/limits.js'
import type { RedemptionGroup } from '../../kick/types.js'

const { cursor, paginate } = cursorFlags()

type Redemption = RedemptionGroup['redemptions'][number] & { reward: RedemptionGroup['reward'] }

export default class RedemptionsList extends KickCommand<typeof RedemptionsList> {
  static summary = "List your channel's reward redemptions, grouped by reward"
  static description =
    "JSON output is Kick's list of {reward, redemptions} groups; a terminal gets one row per redemption."

  static examples = [
    '<%= config.bin %> redemptions list --status pending',
    '<%= config.bin %> redemptions list --reward-id 01KCTMJ2X3DXT814CVX8FR9T1D --paginate --json',
    '<%= config.bin %> redemptions list --id 01KCTMJ2X3DXT814CVX8FR9T1E',
  ]

  static flags = {
    'reward-id': Flags.string({ description: 'only redemptions of this reward' }),
    status: Flags.string({
      description: 'only redemptions in this state',
      options: ['pending', 'accepted', 'rejected'],
    }),
    id: Flags.string({
      description: 'redemption id (repeatable; Kick allows no other filter with it)',
      multiple: true,
      exclusive: ['reward-id', 'status', 'cursor', 'paginate'],
    }),
    cursor,
    paginate,
  }

  async run(): Promise<RedemptionGroup[] | undefined> {
    const { 'reward-id': rewardId, status, id, cursor, paginate } = this.flags
    const query = {
      reward_id: rewardId === undefined ? undefined : checkUlid('--reward-id', rewardId),
      status,
      id: id === undefined ? undefined : checkUniqueUlids('--id', id),
      cursor,
    }
    if (this.jsonEnabled()) return this.list<RedemptionGroup>('redemptionsList', { query }, paginate, [])

    const kick = await this.kick()
    const groups: RedemptionGroup[] = []
    for await (const page of kick.pages<RedemptionGroup>('redemptionsList', { query }, paginate))
      groups.push(...page)
    const rows: Redemption[] = groups.flatMap((group) =>
      group.redemptions.map((redemption) => ({ ...redemption, reward: group.reward })),
    )
    await this.table(rows, [
      { header: 'ID', get: (row) => row.id },
      { header: 'REWARD', get: (row) => row.reward.title },
      { header: 'STATUS', get: (row) => row.status },
      { header: 'USER ID', get: (row) => row.redeemer?.user_id },
      { header: 'INPUT', get: (row) => row.user_input },
      { header: 'REDEEMED AT', get: (row) => row.redeemed_at },
    ])
    return groups
  }
}
