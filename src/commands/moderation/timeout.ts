import { Flags } from '@oclif/core'

import { checkTimeoutMinutes } from '../../kick/limits.js'
import { type BanResult, BanCommand } from './ban.js'

export default class ModerationTimeout extends BanCommand<typeof ModerationTimeout> {
  static summary = 'Time a user out of a channel for 1 minute to 7 days'
  static examples = ['<%= config.bin %> moderation timeout 123456 --duration 10 --reason "calm down"']

  static flags = {
    ...BanCommand.flags,
    duration: Flags.integer({ description: 'minutes, 1 to 10080 (7 days)', required: true }),
  }

  async run(): Promise<BanResult> {
    return this.ban(this.args['user-id'], this.flags, checkTimeoutMinutes(this.flags.duration))
  }
}
