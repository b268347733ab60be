import { KickCommand } from '../../base-command.js'
import type { ConfigEntry } from '../../config/config.js'

export default class ConfigList extends KickCommand<typeof ConfigList> {
  static summary = 'List every config key of the profile with its value and where it comes from'
  static examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --profile bot --json']

  async run(): Promise<ConfigEntry[]> {
    const { listConfigEntries } = await import('../../profile/config-entries.js')
    const entries = await listConfigEntries(await this.session())
    await this.table(entries, [
      { header: 'KEY', get: (entry) => entry.key },
      { header: 'VALUE', get: (entry) => entry.value ?? '' },
      { header: 'SOURCE', get: (entry) => entry.source },
    ])
    return entries
  }
}
