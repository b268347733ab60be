import { Args, loadHelpClass } from '@oclif/core'

import { KickCommand, flagsWithoutJson } from '../base-command.js'
import { UsageError } from '../errors.js'
import { explainUnknown } from '../help/suggest.js'
import { HELP_TOPICS, helpWidth, isHelpTopic, renderHelpTopic } from '../help/topics.js'

export default class HelpCommand extends KickCommand<typeof HelpCommand> {
  static summary = 'Help for kick, a topic or a command'
  static description = `The same as --help (or -h) after it. Two help topics are not commands: \
\`kick help environment\` (the environment variables kick reads) and \`kick help exit-codes\`.`

  static examples = [
    '<%= config.bin %> help users',
    '<%= config.bin %> help users get',
    '<%= config.bin %> help environment',
  ]

  static strict = false
  static enableJsonFlag = false
  static baseFlags = flagsWithoutJson
  static args = {
    command: Args.string({ description: 'topic and command, e.g. users get; or environment, exit-codes' }),
  }

  async run(): Promise<void> {
    const words = this.positionals
    const [first] = words
    if (words.length === 1 && first !== undefined && isHelpTopic(first)) {
      this.log(renderHelpTopic(HELP_TOPICS[first], helpWidth()))
      return
    }
    const id = words.join(':')
    if (words.length && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      throw new UsageError(explainUnknown(words, this.config, this.config.bin))
    }
    const Help = await loadHelpClass(this.config)
    await new Help(this.config, this.config.pjson.oclif.helpOptions).showHelp(words)
  }
}
