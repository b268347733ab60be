import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { Command, Config } from '@oclif/core'

/**
 * The words of help (each command's summary, description and examples, its flags' and arguments'
 * descriptions) are kept in dist/help-texts.json, out of oclif.manifest.json, which oclif reads and parses on
 * every start: a command that shows no help parses 32 kB of manifest instead of 79 kB (scripts/manifest.js
 * splits them). Help and completion put them back before they read them.
 */
export const HELP_TEXTS_FILE = 'dist/help-texts.json'

interface Texts {
  summary?: string
  description?: string
}

export interface CommandTexts extends Texts {
  examples?: Command.Example[] | string
  flags?: Record<string, Texts>
  args?: Record<string, Texts>
}

/** A command as the manifest and oclif's config hold it: a Command.Loadable, or the plain JSON. */
export interface CommandEntry {
  id: string
  flags: Record<string, object>
  args: Record<string, object>
}

/**
 * Puts each command's texts back on it, and on its flags and arguments. A text the command already has (a
 * command loaded from its class, in development) stays.
 */
export function addHelpTexts(commands: Iterable<CommandEntry>, texts: Record<string, CommandTexts>): void {
  for (const command of commands) {
    const { flags = {}, args = {}, ...own } = texts[command.id] ?? {}
    fill(command, own)
    for (const [name, flagTexts] of Object.entries(flags))
      if (command.flags[name]) fill(command.flags[name], flagTexts)
    for (const [name, argTexts] of Object.entries(args))
      if (command.args[name]) fill(command.args[name], argTexts)
  }
}

function fill(target: object, texts: object): void {
  const record = target as Record<string, unknown>
  for (const [key, value] of Object.entries(texts)) record[key] ??= value
}

const filled = new WeakSet<Config>()

/** The loaded config's commands with their help texts: read once, on the first call, from the package. */
export function withHelpTexts(config: Config): void {
  if (filled.has(config)) return
  filled.add(config)
  let texts: Record<string, CommandTexts>
  try {
    texts = JSON.parse(readFileSync(join(config.root, HELP_TEXTS_FILE), 'utf8')) as Record<
      string,
      CommandTexts
    >
  } catch {
    // run from the sources (bin/dev.js): the commands come from their classes, texts included
    return
  }
  addHelpTexts(config.commands, texts)
}
