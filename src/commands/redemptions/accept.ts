import { Args, type Command } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { KickError } from '../../errors.js'
import { checkUniqueUlids } from '../../kick/limits.js'
import type { FailedRedemption, RedemptionGroup } from '../../kick/types.js'

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
    if (decision === 'reject') await this.confirm(() => this.rejectQuestion(ids), this.yes())
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

  /** `Reject 2 redemptions ("Hydrate" by user 123, …)?`, naming what the look-up found. */
  private async rejectQuestion(ids: readonly string[]): Promise<string> {
    const groups = await this.lookUp(
      async (kick) =>
        (await kick.call<RedemptionGroup[]>('redemptionsList', { query: { id: [...ids] } })).data,
    )
    const found = new Map(
      (groups ?? []).flatMap((group) =>
        group.redemptions.map(
          (r) => [r.id, `"${group.reward.title}" by user ${r.redeemer?.user_id ?? '?'}`] as const,
        ),
      ),
    )
    const named = ids.flatMap((id) => found.get(id) ?? [])
    if (!named.length) return `Reject ${plural(ids.length)}?`
    const shown = named.slice(0, 3).join(', ')
    const more = ids.length - Math.min(named.length, 3)
    return `Reject ${plural(ids.length)} (${shown}${more ? `, and ${more} more` : ''})?`
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
