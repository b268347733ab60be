import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { AuthStatus } from '../../auth/account.js'

export default class AuthStatusCommand extends KickCommand<typeof AuthStatusCommand> {
  static summary =
    'Who is logged in on the profile: user, token kind, scopes, expiry, where tokens are stored'
  static examples = ['<%= config.bin %> auth status', '<%= config.bin %> auth status --profile bot --json']

  static flags = {
    legacy: Flags.boolean({ description: 'introspect with the deprecated POST /public/v1/token/introspect' }),
  }

  async run(): Promise<AuthStatus> {
    const { authStatus } = await import('../../auth/account.js')
    if (this.flags.legacy) this.warning('POST /public/v1/token/introspect is deprecated by Kick (2026-01-15)')
    const status = await authStatus(await this.session(), { legacy: this.flags.legacy })
    this.summary({
      Profile: status.profile,
      User: status.name ? `${status.name} (${status.user_id})` : '-',
      'Token kind': status.token_kind ?? '-',
      Active: status.active ? 'yes' : 'no',
      Scopes: status.scopes.join(' ') || '-',
      Expires: status.expires_at ?? '-',
      Storage: status.storage,
    })
    return status
  }
}
