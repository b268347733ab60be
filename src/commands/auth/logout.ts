import { KickCommand } from '../../base-command.js'
import { type LogoutResult } from '../../auth/account.js'

export default class AuthLogout extends KickCommand<typeof AuthLogout> {
  static summary = "Revoke the profile's tokens at Kick and delete them from the keychain"
  static aliases = ['logout']
  static examples = ['<%= config.bin %> logout', '<%= config.bin %> logout --profile bot']

  async run(): Promise<LogoutResult> {
    const { logout } = await import('../../auth/account.js')
    const result = await logout(await this.session(), (line) => this.warning(line))
    this.done(
      `Logged out${result.profile === 'default' ? '' : ` of profile ${result.profile}`}: ` +
        `tokens ${result.revoked ? 'revoked and ' : ''}deleted`,
    )
    return result
  }
}
