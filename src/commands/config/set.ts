import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { CONFIG_KEYS, configKey } from '../../config/config.js'
import type { SetResult } from '../../profile/config-entries.js'
import { UsageError } from '../../errors.js'
import { readStdin } from '../../input/stdin.js'
import { interactive } from '../../output/terminal.js'

export default class ConfigSet extends KickCommand<typeof ConfigSet> {
  static summary = 'Set a config value for the profile'
  static description =
    `Keys: ${CONFIG_KEYS.join(', ')}. client-secret goes to the system keychain, never to config.json; ` +
    'give it as "-" to read it from stdin, or leave it out in a terminal to be asked (hidden).'
  static examples = [
    '<%= config.bin %> config set client-id 01JXXXXXXXXXXXXXXXXXXXXXXX',
    'printf %s "$SECRET" | <%= config.bin %> config set client-secret -',
    '<%= config.bin %> config set broadcaster-id 721956 --profile bot',
  ]

  static args = {
    key: Args.string({ description: 'config key', required: true, options: [...CONFIG_KEYS] }),
    value: Args.string({ description: 'the value ("-" reads stdin)' }),
  }

  async run(): Promise<SetResult> {
    const key = configKey(this.args.key)
    const value = await this.value(key)
    const { setConfigEntry } = await import('../../profile/config-entries.js')
    const result = await setConfigEntry(await this.session(), key, value)
    if (result.overridden_by) this.warning(`${result.overridden_by} is set and overrides ${key} while it is`)
    this.done(
      `Set ${key}${result.profile === 'default' ? '' : ` for profile ${result.profile}`} (in ${result.stored_in})`,
    )
    return result
  }

  private async value(key: string): Promise<string> {
    // a value piped in ends with the newline echo or a file added, which is not part of it
    if (this.args.value === '-') {
      // typed at a terminal, stdin ends only with Ctrl-D, and what is typed shows: say both
      if (process.stdin.isTTY)
        this.note(
          `Reading ${key} from stdin until Ctrl-D (typing shows; leave out "-" to be asked with the input hidden)`,
        )
      return (await readStdin()).replace(/\r?\n$/, '')
    }
    if (this.args.value !== undefined) {
      if (key === 'client-secret')
        this.warning(
          'the client secret typed on the command line is now in your shell history and visible to other ' +
            'users in `ps`: next time leave it out to be asked (hidden), or pass - to read it from stdin',
        )
      return this.args.value
    }
    if (key === 'client-secret' && interactive()) {
      const { password } = await import('@inquirer/prompts')
      return password({ message: 'Client secret:', mask: true }, { output: process.stderr })
    }
    throw new UsageError(`missing VALUE: kick config set ${key} VALUE`)
  }
}
