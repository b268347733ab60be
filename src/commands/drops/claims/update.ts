import { Args } from '@oclif/core'

import { KickCommand } from '../../../base-command.js'
import { UsageError } from '../../../errors.js'

interface ClaimUpdate {
  claim_id: string
  external_status: string
}

export default class DropsClaimsUpdate extends KickCommand<typeof DropsClaimsUpdate> {
  static summary = "Set drops claims' external status (needs an app token)"
  static description =
    'Kick takes 100 claims per request; longer lists are sent in several requests, in order.'
  static examples = [
    '<%= config.bin %> drops claims update 01KAAFHJ2PNXS48NG8XXPGWKCZ=processed',
    '<%= config.bin %> drops claims update A=processed B=failed',
  ]

  static strict = false
  static args = {
    claim: Args.string({ description: 'CLAIM_ID=STATUS (one or more)', required: true }),
  }

  async run(): Promise<{ updated: ClaimUpdate[] }> {
    const claims = this.positionals.map(parseClaimUpdate)
    const kick = await this.kick()
    await kick.call('dropsClaimsUpdate', { body: { claims } })
    this.done(`Updated ${claims.length} claim${claims.length === 1 ? '' : 's'}`)
    return { updated: claims }
  }
}

function parseClaimUpdate(argument: string): ClaimUpdate {
  const match = /^([^=\s]+)=(\S.*)$/.exec(argument)
  if (!match)
    throw new UsageError(`"${argument}" is not CLAIM_ID=STATUS (e.g. 01KAAFHJ2PNXS48NG8XXPGWKCZ=processed)`)
  return { claim_id: match[1]!, external_status: match[2]! }
}
