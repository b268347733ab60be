import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { CONFIG_KEYS, type ConfigKey, configKey } from '../../config/config.js'

export default class ConfigUnset extends KickCommand<typeof ConfigUnset> {
  static summary = 'Remove a config value from the profile (client-secret: from the keychain)'
  static examples = ['<%= config.bin %> config unset broadcaster-id']

  static args = {
    key: Args.string({ description: 'config key', required: true, options: [...CONFIG_KEYS] }),
  }

  async run(): Promise<{ key: ConfigKey; removed: boolean }> {
    const key = configKey(this.args.key)
    const { unsetConfigEntry } = await import('../../profile/config-entries.js')
    const result = await unsetConfigEntry(await this.session(), key)
    this.done(result.removed ? `Unset ${key}` : `${key} was not set`)
    return result
  }
}
