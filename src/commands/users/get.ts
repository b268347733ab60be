import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { ApiError, AuthError } from '../../errors.js'
import type { User } from '../../kick/types.js'

export default class UsersGet extends KickCommand<typeof UsersGet> {
  static summary = 'Get users by id, or the user the token belongs to'
  static description =
    'Kick answers unknown ids with nothing, so this exits 1 naming every id that did not come back (the users ' +
    'found are still printed).'
  static examples = [
    '<%= config.bin %> users get',
    '<%= config.bin %> users get --id 721956 --id 30111 --json',
  ]

  static flags = {
    id: Flags.integer({ description: 'user id (repeatable)', multiple: true, min: 1 }),
  }

  async run(): Promise<User[]> {
    const kick = await this.kick()
    const noUser = (said?: string, body?: string) =>
      new AuthError(
        `the token belongs to no user (an app token${said ? `; ${said}` : ''}): run \`kick login\`, or pass --id`,
        body,
      )
    const { data } = await kick
      .call<User[]>('usersGet', { query: { id: this.flags.id } })
      .catch((error: unknown) => {
        // Without --id Kick answers the token's owner; an app token (client credentials) has none: a 400, as
        // on GET /public/v1/channels, or an empty list
        if (!this.flags.id && error instanceof ApiError && error.status === 400)
          throw noUser(error.message, error.body)
        throw error
      })
    if (!this.flags.id && data.length === 0) throw noUser()
    await this.table(data, [
      { header: 'ID', get: (user) => user.user_id },
      { header: 'NAME', get: (user) => user.name },
      { header: 'EMAIL', get: (user) => user.email },
    ])
    const found = new Set(data.map((user) => user.user_id))
    const missing = [...new Set(this.flags.id ?? [])].filter((id) => !found.has(id))
    if (missing.length)
      throw this.missing(
        data,
        `no user found for id ${missing.join(', ')}: check the id (Kick answers unknown users with nothing)`,
      )
    return data
  }
}
