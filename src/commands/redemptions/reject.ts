import { yesFlag } from '../../flags.js'
import type { FailedRedemption } from '../../kick/types.js'
import { RedemptionDecision } from './accept.js'

export default class RedemptionsReject extends RedemptionDecision<typeof RedemptionsReject> {
  static summary = 'Reject pending channel points redemptions (the viewers get their points back)'
  static examples = [
    '<%= config.bin %> redemptions reject 01KEWZ2RKYZZFGD154K50Y3F8D --yes',
    '<%= config.bin %> redemptions reject 01KEWZ2RKYZZFGD154K50Y3F8D 01KEWZ2YC27070XWMHKFJR6C87',
  ]

  static flags = { yes: yesFlag }

  async run(): Promise<FailedRedemption[]> {
    return this.decide('reject')
  }

  protected yes(): boolean {
    return this.flags.yes
  }
}
