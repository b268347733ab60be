import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { UsageError } from '../../errors.js'
import { yesFlag } from '../../flags.js'
import type { Subscription } from '../../kick/types.js'

export default class EventsUnsubscribe extends KickCommand<typeof EventsUnsubscribe> {
  static summary = 'Delete webhook event subscriptions by id, or all of them'
  static description =
    'Kick answers the same whether or not an id exists, so for ids the command reports the deletion as ' +
    'requested ({"requested": [...]} in JSON); with --all the ids come from Kick\'s own list ({"deleted": [...]}).'
  static examples = [
    '<%= config.bin %> events unsubscribe 01JMJVAGE9JQS97VRBDPB9MZNB',
    '<%= config.bin %> events unsubscribe --all --yes',
  ]

  static strict = false
  static args = {
    id: Args.string({ description: 'subscription id (one or more)' }),
  }

  static flags = {
    all: Flags.boolean({ description: 'delete every subscription of the app (asks first in a terminal)' }),
    yes: yesFlag,
  }

  async run(): Promise<{ deleted: string[] } | { requested: string[] }> {
    const given = this.positionals
    if (this.flags.all && given.length) throw new UsageError('pass subscription ids or --all, not both')
    if (!this.flags.all && !given.length) throw new UsageError('pass one or more subscription ids, or --all')
    const kick = await this.kick()
    let ids = [...new Set(given)]
    if (this.flags.all) {
      const { data } = await kick.call<Subscription[]>('eventsList')
      ids = data.map((subscription) => subscription.id)
      if (!ids.length) {
        this.done('No subscriptions to delete')
        return { deleted: [] }
      }
      const what = ids.length === 1 ? 'the 1 webhook subscription' : `all ${ids.length} webhook subscriptions`
      const events = [...new Set(data.map((subscription) => subscription.event))]
      const shown = events.length > 4 ? `${events.slice(0, 4).join(', ')}, …` : events.join(', ')
      await this.confirm(`Delete ${what} (${shown})?`, this.flags.yes)
    }
    await kick.call('eventsUnsubscribe', { query: { id: ids } })
    const count = `${ids.length} subscription${ids.length === 1 ? '' : 's'}`
    if (this.flags.all) {
      this.done(`Deleted ${count}`)
      return { deleted: ids }
    }
    // Kick answers 204 whether or not an id exists: all that is known is that it was asked.
    this.done(`Requested deletion of ${count} (Kick does not say which existed: see \`kick events list\`)`)
    return { requested: ids }
  }
}
