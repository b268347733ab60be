import { KickCommand } from '../../base-command.js'
import type { TokenSummary } from '../../auth/account.js'

export default class AuthRefresh extends KickCommand<typeof AuthRefresh> {
  static summary = "Refresh the profile's token pair now"
  static examples = ['<%= config.bin %> auth refresh']

  async run(): Promise<TokenSummary> {
    const { refreshNow } = await import('../../auth/account.js')
    const result = await refreshNow(await this.session())
    this.done(`Refreshed: the new token expires at ${result.expires_at}`)
    return result
  }
}
