import { Args, type Command } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { KickError } from '../../errors.js'
import { checkUniqueUlids } from '../../kick/limits.js'
import type { FailedRedemption } from '../../kick/types.js'

/**
 * Accept and reject are the same exchange: a list of ids in, the ones that failed out. Kick takes 25 ids per
 * request; the client splits longer lists and merges the failures in order.
 */
export abstract class RedemptionDecision<T extends typeof Command> extends KickCommand<T> {
  static strict = false
  static args = {
    id: Args.string({
      description: 'redemption id (one or more; see `kick redemptions list`)',
      required: true,
    }),
  }

  protected async decide(decision: 'accept' | 'reject'): Promise<FailedRedemption[]> {
    const ids = checkUniqueUlids('redemption id', this.positionals)
    if (decision === 'reject') await this.confirm(`Reject ${plural(ids.length)}?`, this.yes())
    const kick = await this.kick()
    const endpoint = decision === 'accept' ? 'redemptionsAccept' : 'redemptionsReject'
    const { data } = await kick.call<FailedRedemption[]>(endpoint, { body: { ids } })
    const failed = data ?? []
    const past = decision === 'accept' ? 'accepted' : 'rejected'
    if (failed.length === 0) {
      this.done(`${past[0]!.toUpperCase()}${past.slice(1)} ${plural(ids.length)}`)
      return failed
    }
    // The failures are the result: print them (JSON or a table) before exiting 1.
    if (this.jsonEnabled()) this.logJson(failed)
    await this.table(failed, [
      { header: 'ID', get: (failure) => failure.id },
      { header: 'REASON', get: (failure) => failure.reason },
    ])
    const list = failed.map((failure) => `${failure.id} (${failure.reason})`).join(', ')
    throw new KickError(`${failed.length} of ${plural(ids.length)} could not be ${past}: ${list}`)
  }

  /** `--yes`, for the commands that have it. */
  protected yes(): boolean {
    return false
  }
}

function plural(count: number): string {
  return `${count} redemption${count === 1 ? '' : 's'}`
}

export default class RedemptionsAccept extends RedemptionDecision<typeof RedemptionsAccept> {
  static summary = 'Accept pending channel points redemptions'
  static examples = [
    '<%= config.bin %> redemptions accept 01KEWZ2RKYZZFGD154K50Y3F8D',
    '<%= config.bin %> redemptions accept 01KEWZ2RKYZZFGD154K50Y3F8D 01KEWZ2YC27070XWMHKFJR6C87 --json',
  ]

  async run(): Promise<FailedRedemption[]> {
    return this.decide('accept')
  }
}
