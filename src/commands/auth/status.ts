import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { AuthStatus } from '../../auth/account.js'
import { AuthError } from '../../errors.js'
import { loginCommand } from '../../kick/token-provider.js'

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
    if (!status.active) {
      // The status is still the answer (scripts read `active`), and the exit code says the token is no good.
      if (this.jsonEnabled()) this.logJson(status)
      const which = status.storage === 'env' ? 'the token in KICK_ACCESS_TOKEN' : 'the stored token'
      const next =
        status.storage === 'env'
          ? 'set a valid one'
          : `run \`${loginCommand(status.profile, status.scopes)}\``
      throw new AuthError(`Kick says ${which} is not active: ${next}`)
    }
    return status
  }
}
