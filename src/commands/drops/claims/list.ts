import { Flags } from '@oclif/core'

import { KickCommand } from '../../../base-command.js'
import { cursorFlags } from '../../../flags.js'
import { endpoints } from '../../../kick/endpoints.js'
import type { DropsClaim } from '../../../kick/types.js'

export default class DropsClaimsList extends KickCommand<typeof DropsClaimsList> {
  static summary = "Drops claims of your organization's campaigns (needs an app token)"
  static examples = [
    '<%= config.bin %> drops claims list --campaign-id 01JAXK8N4QWRTY5PM7ZEBVJDS8',
    '<%= config.bin %> drops claims list --external-status initiated --paginate --json',
  ]

  static flags = {
    'campaign-id': Flags.string({ description: 'only claims of this campaign' }),
    'user-id': Flags.integer({ description: 'only claims of this user', min: 1 }),
    'claim-id': Flags.string({ description: 'only this claim' }),
    'external-status': Flags.string({ description: 'only claims with this external status, e.g. initiated' }),
    ...cursorFlags(endpoints.dropsClaimsList.limit),
  }

  async run(): Promise<DropsClaim[] | undefined> {
    const { flags } = this
    return this.list<DropsClaim>(
      'dropsClaimsList',
      {
        query: {
          campaign_id: flags['campaign-id'],
          user_id: flags['user-id'],
          claim_id: flags['claim-id'],
          external_status: flags['external-status'],
          limit: flags.limit,
          cursor: flags.cursor,
        },
      },
      flags.paginate,
      [
        { header: 'CLAIM ID', get: (claim) => claim.claim_id },
        { header: 'USER ID', get: (claim) => claim.user_id },
        { header: 'CAMPAIGN', get: (claim) => claim.campaign_id },
        { header: 'REWARD', get: (claim) => claim.reward_id },
        { header: 'STATUS', get: (claim) => claim.external_status },
        { header: 'UPDATED', get: (claim) => claim.updated_at },
      ],
    )
  }
}
