import { Args, Command } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { CONFIG_KEYS, type ConfigEntry, configKey } from '../../config/config.js'
import { KickError } from '../../errors.js'

export default class ConfigGet extends KickCommand<typeof ConfigGet> {
  static summary = "Print a config value of the profile (the client secret's is never shown)"
  static description =
    'Exit 1 when the key is not set, and for client-secret when it is: the secret is never printed, so the ' +
    'error says where it is kept (the keychain, its fallback file, or KICK_CLIENT_SECRET).'
  static examples = ['<%= config.bin %> config get client-id', '<%= config.bin %> config get api-url --json']

  static args = {
    key: Args.string({ description: 'config key', required: true, options: [...CONFIG_KEYS] }),
  }

  /** One value: bare also in a pipe, for `$(kick config get client-id)`; JSON only with --json. */
  public jsonEnabled(): boolean {
    return Command.prototype.jsonEnabled.call(this) || this.jq !== undefined
  }

  async run(): Promise<ConfigEntry> {
    const key = configKey(this.args.key)
    const { getConfigEntry, secretWhereabouts } = await import('../../profile/config-entries.js')
    const entry = await getConfigEntry(await this.session(), key)
    // Like `git config`: an unset key is exit 1, so scripts can tell.
    if (entry.value === null) throw new KickError(`${key} is not set: run \`kick config set ${key} VALUE\``)
    // Set but never printed: a failure, not a placeholder a script would capture as the value (also under
    // --json, whose `value` would be no value either); `kick config list` shows it is set, and where.
    if (key === 'client-secret')
      throw new KickError(
        `client-secret is set but never printed: it is kept in ${secretWhereabouts(this.profile, entry.source)}`,
      )
    this.done(entry.value)
    return entry
  }
}
