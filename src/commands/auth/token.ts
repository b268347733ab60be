import { Flags } from '@oclif/core'

import { KickCommand, flagsWithoutJson } from '../../base-command.js'

export default class AuthToken extends KickCommand<typeof AuthToken> {
  static summary = 'Print a valid access token (refreshed first when it expires within 60 s)'
  static description = 'Only the token and a newline go to stdout, for `$(kick auth token)`.'
  static enableJsonFlag = false
  static baseFlags = flagsWithoutJson
  static examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> auth token)" https://api.kick.com/public/v1/users',
    '<%= config.bin %> auth token --app',
  ]

  static flags = {
    app: Flags.boolean({ description: 'an app access token (client credentials), cached until it expires' }),
  }

  async run(): Promise<void> {
    const { validToken } = await import('../../auth/account.js')
    const token = await validToken(await this.session(), { app: this.flags.app })
    process.stdout.write(`${token}\n`)
  }
}
