import { type Command, CommandHelp, Help, type Interfaces } from '@oclif/core'

import { withHelpTexts } from './texts.js'
import { HELP_TOPICS } from './topics.js'
import { usageLine } from './usage.js'

const ROOT_EXAMPLES = [
  'listen --demo',
  'login --scopes user:read,chat:write',
  'channels get --slug xqc --json',
  'chat send "hello from kick"',
  'api users -X GET -F id=1',
]

/**
 * oclif's help with kick's additions: the root help ends with examples and where to read about the
 * environment and exit codes; usage lines show only the flag exclusions that exist (see usageLine); every
 * example reads as one typed command line (`$ …`), pipelines included.
 * Loaded only to show help (package.json oclif.helpClass), so no other command pays for it.
 */
export default class KickHelp extends Help {
  /** `autocomplete` is a command with a subcommand: listed once, under COMMANDS, not as a topic as well. */
  protected get sortedTopics(): Interfaces.Topic[] {
    return super.sortedTopics.filter((topic) => !this.config.findCommand(topic.name))
  }

  /** The root help's first line (package.json's description) wrapped at words, like the rest of help. */
  formatRoot(): string {
    const root = super.formatRoot()
    const end = root.indexOf('\n')
    return end === -1 ? this.wrap(root, 0) : `${this.wrap(root.slice(0, end), 0)}${root.slice(end)}`
  }

  async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    const bin = this.config.bin
    this.log(this.section('EXAMPLES', ROOT_EXAMPLES.map((line) => `$ ${bin} ${line}`).join('\n')))
    this.log('')
    const topics: [string, string][] = [
      ...Object.entries(HELP_TOPICS).map(([name, topic]): [string, string] => [
        `${bin} help ${name}`,
        topic.summary,
      ]),
      [`${bin} help TOPIC [COMMAND]`, 'a topic or command, like --help or -h after it'],
      [`${bin} autocomplete`, 'set up tab completion for your shell'],
    ]
    this.log(this.section('LEARN MORE', this.renderList(topics, { indentation: 2, spacer: '\n' })))
    this.log('')
  }

  /** A command's own help shows its description, examples and flag texts, which the manifest leaves out. */
  formatCommand(command: Command.Loadable): string {
    withHelpTexts(this.config, [command])
    return super.formatCommand(command)
  }

  getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new KickCommandHelp(command, this.config, this.opts)
  }
}

class KickCommandHelp extends CommandHelp {
  protected defaultUsage(): string {
    return usageLine(this.command)
  }

  protected examples(examples: Command.Example[] | string | undefined): string | undefined {
    // oclif prefixes `$ ` only to lines that start with the bin; `curl … $(kick auth token)` stayed bare.
    // (A two-line string example is "description\ncommand": left to oclif.)
    const typed = (line: string): string =>
      line.includes('\n') || line.startsWith('<%= config.bin %>') || line.startsWith('$ ')
        ? line
        : `$ ${line}`
    const uniform = [examples ?? []]
      .flat()
      .map((example) =>
        typeof example === 'string' ? typed(example) : { ...example, command: typed(example.command) },
      )
    return super.examples(uniform)
  }
}
