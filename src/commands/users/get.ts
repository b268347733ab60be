import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { AuthError } from '../../errors.js'
import type { User } from '../../kick/types.js'

export default class UsersGet extends KickCommand<typeof UsersGet> {
  static summary = 'Get users by id, or the user the token belongs to'
  static examples = [
    '<%= config.bin %> users get',
    '<%= config.bin %> users get --id 721956 --id 30111 --json',
  ]

  static flags = {
    id: Flags.integer({ description: 'user id (repeatable)', multiple: true, min: 1 }),
  }

  async run(): Promise<User[]> {
    const kick = await this.kick()
    const { data } = await kick.call<User[]>('usersGet', { query: { id: this.flags.id } })
    // Without --id Kick answers the token's owner; an app token (client credentials) has none and gets [].
    if (!this.flags.id && data.length === 0)
      throw new AuthError('the token belongs to no user (an app token): run `kick login`, or pass --id')
    await this.table(data, [
      { header: 'ID', get: (user) => user.user_id },
      { header: 'NAME', get: (user) => user.name },
      { header: 'EMAIL', get: (user) => user.email },
    ])
    return data
  }
}
