import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { LeaderboardEntry } from '../../kick/types.js'

type Leaderboard = Record<'lifetime' | 'month' | 'week', LeaderboardEntry[]>

export default class KicksLeaderboard extends KickCommand<typeof KicksLeaderboard> {
  static summary = 'Top KICKs gifters of your channel: lifetime, this month, this week'
  static examples = [
    '<%= config.bin %> kicks leaderboard',
    '<%= config.bin %> kicks leaderboard --top 3 --json',
  ]

  static flags = {
    top: Flags.integer({ description: 'entries per period (1-100; Kick defaults to 10)', min: 1, max: 100 }),
  }

  async run(): Promise<Leaderboard> {
    const kick = await this.kick()
    const { data } = await kick.call<Leaderboard>('kicksLeaderboard', { query: { top: this.flags.top } })
    const rows = (['week', 'month', 'lifetime'] as const).flatMap((period) =>
      (data[period] ?? []).map((entry) => ({ period, ...entry })),
    )
    await this.table(rows, [
      { header: 'PERIOD', get: (row) => row.period },
      { header: 'RANK', get: (row) => row.rank },
      { header: 'USER', get: (row) => row.username },
      { header: 'USER ID', get: (row) => row.user_id },
      { header: 'KICKS', get: (row) => row.gifted_amount },
    ])
    return data
  }
}
