import { Args } from '@oclif/core'

import { KickCommand, flagsWithoutJson } from '../../base-command.js'
import { completionModel } from '../../completion/model.js'
import { completionScript, SHELLS, type Shell } from '../../completion/scripts.js'
import { withHelpTexts } from '../../help/texts.js'
import { HELP_TOPICS } from '../../help/topics.js'

export default class AutocompleteScript extends KickCommand<typeof AutocompleteScript> {
  static summary = 'Print the tab-completion script for a shell'
  static description = `Built from this version's commands: topics, commands, flags, and the values of flags and \
arguments that have a fixed set (event types, scopes, --type, --tunnel, config keys). The script is plain \
shell: completing runs no kick. \`kick autocomplete SHELL\` says where to put it.`

  static examples = [
    '<%= config.bin %> autocomplete script bash > ~/.local/share/bash-completion/completions/kick',
    '<%= config.bin %> autocomplete script fish > ~/.config/fish/completions/kick.fish',
  ]

  static enableJsonFlag = false
  static baseFlags = flagsWithoutJson
  static args = {
    shell: Args.string({ description: 'the shell', required: true, options: [...SHELLS] }),
  }

  async run(): Promise<void> {
    // the summaries shown beside each completion
    withHelpTexts(this.config)
    const model = completionModel(this.config.bin, this.config.commands, this.config.topics)
    const script = completionScript(this.args.shell as Shell, model, { helpTopics: Object.keys(HELP_TOPICS) })
    process.stdout.write(script)
  }
}
