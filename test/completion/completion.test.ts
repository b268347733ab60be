import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from '@oclif/core'
import { beforeAll, describe, expect, it } from 'vitest'

import { completionModel } from '../../src/completion/model.js'
import { completionScript, SHELLS } from '../../src/completion/scripts.js'
import { runKick } from '../helpers/run-kick.js'

const dir = mkdtempSync(join(tmpdir(), 'kick-completion-'))
const has = (shell: string): boolean => {
  try {
    execFileSync('which', [shell], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The script as a user gets it: printed by the real binary. */
async function script(shell: string): Promise<string> {
  const result = await runKick(['autocomplete', 'script', shell])
  expect(result).toMatchObject({ code: 0, stderr: '' })
  const file = join(dir, `kick.${shell}`)
  writeFileSync(file, result.stdout)
  return file
}

describe('bash completion, sourced in a real bash', () => {
  let file: string
  beforeAll(async () => (file = await script('bash')))

  /**
   * Calls the completion function as bash does on TAB: COMP_LINE up to the cursor, and COMP_WORDS split the way
   * bash splits them (`:` and `=` are word breaks, given here as separate words).
   */
  function complete(line: string, words: string[] = line.split(' ')): string[] {
    const program = [
      `source ${JSON.stringify(file)}`,
      `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=${line.length}`,
      `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(' ')}); COMP_CWORD=${words.length - 1}`,
      '_kick',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n')
    return execFileSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
  }

  it('completes topics, verbs and flags', () => {
    expect(complete('kick us')).toEqual(['users'])
    expect(complete('kick users g')).toEqual(['get'])
    expect(complete('kick listen --tun')).toEqual(['--tunnel', '--tunnel-host', '--tunnel-timeout'])
    expect(complete('kick drops claims ')).toEqual(['list', 'update'])
    expect(complete('kick chat send hi --re')).toEqual(['--reply-to'])
    // an alias and a nested topic
    expect(complete('kick listen --for')).toEqual(['--forward-to'])
    expect(complete('kick ')).toEqual(
      expect.arrayContaining(['users', 'listen', 'login', 'autocomplete', 'help']),
    )
  })

  it('completes the values of flags and arguments with a fixed set', () => {
    expect(complete('kick listen --tunnel ')).toEqual(['none', 'localtunnel', 'ngrok', 'cloudflared'])
    expect(complete('kick listen --tunnel=ng', ['kick', 'listen', '--tunnel', '=', 'ng'])).toEqual(['ngrok'])
    expect(complete('kick chat send "hi" --type ')).toEqual(['user', 'bot'])
    expect(complete('kick events subscribe chat.m')).toEqual(['chat.message.sent'])
    expect(complete('kick config get client-')).toEqual(['client-id', 'client-secret'])
    expect(complete('kick autocomplete script f')).toEqual(['fish'])
    // comma lists: bash replaces only the part after the last ':', so the candidates start there
    expect(
      complete('kick login --scopes user:read,chat:w', [
        'kick',
        'login',
        '--scopes',
        'user',
        ':',
        'read,chat',
        ':',
        'w',
      ]),
    ).toEqual(['write'])
    expect(complete('kick listen --subscribe kicks.gifted,chat')).toEqual(['kicks.gifted,chat.message.sent'])
  })

  it('a flag that takes a value takes the next word, and help completes topics and commands', () => {
    // `send` after --reply-to is the message id, not a word of the command
    expect(complete('kick chat send --reply-to send --ty')).toEqual(['--type'])
    expect(complete('kick chat send --type user --broadcaster-id 5 hi --rep')).toEqual(['--reply-to'])
    expect(complete('kick help us')).toEqual(['users'])
    expect(complete('kick help users ')).toEqual(['get'])
    expect(complete('kick help exit')).toEqual(['exit-codes'])
  })
})

describe.runIf(has('fish'))('fish completion, in a real fish', () => {
  it('completes topics, verbs, flags and values', async () => {
    const file = await script('fish')
    const complete = (line: string): string[] =>
      execFileSync('fish', ['--no-config', '-c', `source ${file}; complete -C ${JSON.stringify(line)}`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t')[0]!)
    expect(complete('kick us')).toEqual(['users'])
    expect(complete('kick users g')).toEqual(['get'])
    expect(complete('kick listen --tun')).toEqual(['--tunnel', '--tunnel-host', '--tunnel-timeout'])
    expect(complete('kick listen --tunnel ng')).toEqual(['ngrok'])
    expect(complete('kick login --scopes user:read,chat:w')).toEqual(['user:read,chat:write'])
  })
})

describe.runIf(has('zsh'))('zsh completion, in a real zsh', () => {
  it('registers for kick under compinit and walks the words like bash', async () => {
    const file = await script('zsh')
    const program = [
      `autoload -U compinit && compinit -u -d ${JSON.stringify(join(dir, 'zcompdump'))}`,
      `source ${JSON.stringify(file)}`,
      'print -r -- "${_comps[kick]}"',
      '_kick_candidates us; print -r -- "$REPLY"',
      '_kick_candidates listen --tun; print -r -- "$REPLY"',
      '_kick_candidates chat send hi --type b; print -r -- "$REPLY"',
    ].join('\n')
    const output = execFileSync('zsh', ['-f', '-c', program], { encoding: 'utf8' })
    expect(output.split('\n')).toEqual([
      '_kick',
      'users',
      '--tunnel --tunnel-host --tunnel-timeout',
      'bot',
      '',
    ])
  })
})

describe('kick autocomplete', () => {
  it('prints how to install the script for the shell asked, or the one in $SHELL', async () => {
    for (const shell of SHELLS) {
      const result = await runKick(['autocomplete', shell])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(result.stdout).toContain(`kick autocomplete script ${shell}`)
    }
    const fromEnv = await runKick(['autocomplete'], { env: { SHELL: '/usr/bin/fish' } })
    // the folder does not exist until fish or the user makes it: the steps make it first
    expect(fromEnv.stdout).toContain(
      '    mkdir -p ~/.config/fish/completions\n    kick autocomplete script fish > ~/.config/fish/completions/kick.fish',
    )
    const wrong = await runKick(['autocomplete', 'script', 'tcsh'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/^Error: .*tcsh.*\n$/)
  })

  it('builds every script from the manifest: a command added later is completed without a hand-kept list', () => {
    const commands = [
      { id: 'users:get', aliases: [], flags: {}, args: {} },
      {
        id: 'mock:trigger',
        aliases: [],
        summary: 'Fire an event at the mock',
        flags: { count: { name: 'count', type: 'option', description: 'how many' } },
        args: { event: { name: 'event' } },
        completions: { event: ['kicks.gifted', 'chat.message.sent'] },
      },
    ] as unknown as Command.Loadable[]
    const model = completionModel('kick', commands, [{ name: 'mock', description: 'A local Kick' }])
    for (const shell of SHELLS) {
      const text = completionScript(shell, model, { helpTopics: ['environment'] })
      expect(text, shell).toMatch(/trigger/)
      expect(text, shell).toContain('kicks.gifted chat.message.sent')
      expect(text, shell).toContain('--count=')
    }
  })
})
