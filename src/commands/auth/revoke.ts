import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'

export default class AuthRevoke extends KickCommand<typeof AuthRevoke> {
  static summary = 'Revoke any access or refresh token at Kick'
  static examples = ['<%= config.bin %> auth revoke TOKEN --hint refresh_token']

  static args = {
    token: Args.string({ description: 'the token to revoke', required: true }),
  }

  static flags = {
    hint: Flags.string({ description: 'what the token is', options: ['access_token', 'refresh_token'] }),
  }

  async run(): Promise<{ revoked: true }> {
    const session = await this.session()
    await (await session.oauth()).revoke(this.args.token, this.flags.hint as 'access_token' | 'refresh_token')
    this.done('Revoked')
    return { revoked: true }
  }
}
