import { basename } from 'node:path'

import { Args } from '@oclif/core'

import { KickCommand, flagsWithoutJson } from '../base-command.js'
import { SHELLS, type Shell } from '../completion/scripts.js'

export default class Autocomplete extends KickCommand<typeof Autocomplete> {
  static summary = 'Set up tab completion for bash, zsh, fish or PowerShell'
  static description = `Prints how to install completion for the shell (default: the one in $SHELL); \
\`kick autocomplete script SHELL\` prints the script itself.`

  static examples = [
    '<%= config.bin %> autocomplete',
    '<%= config.bin %> autocomplete zsh',
    '<%= config.bin %> autocomplete script bash',
  ]

  static enableJsonFlag = false
  static baseFlags = flagsWithoutJson
  static args = {
    shell: Args.string({ description: 'the shell (default: from $SHELL)', options: [...SHELLS] }),
  }

  async run(): Promise<void> {
    const shell = (this.args.shell as Shell | undefined) ?? shellOf(process.env.SHELL)
    this.log(instructions(this.config.bin, shell))
  }
}

function shellOf(path: string | undefined): Shell {
  const name = basename(path ?? '')
  if (name === 'pwsh' || name === 'powershell') return 'powershell'
  return (SHELLS as readonly string[]).includes(name) ? (name as Shell) : 'bash'
}

function instructions(bin: string, shell: Shell): string {
  const script = `${bin} autocomplete script ${shell}`
  const steps: Record<Shell, string[]> = {
    bash: [
      `Write the script where bash-completion finds it (again after upgrading ${bin}):`,
      `    mkdir -p ~/.local/share/bash-completion/completions`,
      `    ${script} > ~/.local/share/bash-completion/completions/${bin}`,
      `or, without bash-completion, add this line to ~/.bashrc:`,
      `    eval "$(${script})"`,
    ],
    zsh: [
      `Write the script into a folder of your fpath (again after upgrading ${bin}):`,
      `    mkdir -p ~/.zfunc && ${script} > ~/.zfunc/_${bin}`,
      `and in ~/.zshrc, before compinit runs:`,
      `    fpath=(~/.zfunc $fpath)`,
      `(If it does not complete in a new shell: rm -f ~/.zcompdump*; exec zsh)`,
    ],
    fish: [
      `Write the script where fish finds completions (again after upgrading ${bin}):`,
      `    mkdir -p ~/.config/fish/completions`,
      `    ${script} > ~/.config/fish/completions/${bin}.fish`,
    ],
    powershell: [
      `Add this line to your PowerShell profile (notepad $PROFILE):`,
      `    ${script} | Out-String | Invoke-Expression`,
    ],
  }
  return [
    `Tab completion for ${bin} in ${shell}: topics, commands, flags and fixed flag values.`,
    '',
    ...steps[shell],
    '',
    `Then open a new shell and try: ${bin} us<TAB>`,
  ].join('\n')
}
