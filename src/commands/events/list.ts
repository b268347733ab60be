import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { Subscription } from '../../kick/types.js'

export default class EventsList extends KickCommand<typeof EventsList> {
  static summary = "Your app's webhook event subscriptions"
  static examples = [
    '<%= config.bin %> events list',
    '<%= config.bin %> events list --broadcaster-id 721956 --json',
  ]

  static flags = {
    'broadcaster-id': Flags.integer({ description: "only this broadcaster's subscriptions", min: 1 }),
  }

  async run(): Promise<Subscription[]> {
    const kick = await this.kick()
    const { data } = await kick.call<Subscription[]>('eventsList', {
      query: { broadcaster_user_id: this.flags['broadcaster-id'] },
    })
    await this.table(data, [
      { header: 'ID', get: (subscription) => subscription.id },
      { header: 'EVENT', get: (subscription) => subscription.event },
      { header: 'VERSION', get: (subscription) => subscription.version },
      { header: 'BROADCASTER', get: (subscription) => subscription.broadcaster_user_id },
      { header: 'CREATED', get: (subscription) => subscription.created_at },
    ])
    return data
  }
}
