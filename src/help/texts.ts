import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { Command, Interfaces } from '@oclif/core'

/**
 * The longer words of help (each command's description and examples, its flags' and arguments'
 * descriptions) are kept in dist/help-texts.json, out of oclif.manifest.json, which oclif reads and parses on
 * every start: a command that shows no help parses 42 kB of manifest instead of 79 kB (scripts/manifest.js
 * splits them). Summaries stay in the manifest, so root and topic help need no more. A command's help and
 * completion put the texts back before they read them.
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

/** The help texts of the package at `root`, by command id (aliases included). */
export function readHelpTexts(root: string): Record<string, CommandTexts> {
  return JSON.parse(readFileSync(join(root, HELP_TEXTS_FILE), 'utf8')) as Record<string, CommandTexts>
}

const textsByRoot = new Map<string, Record<string, CommandTexts> | undefined>()
const filled = new WeakSet<object>()

/** The given commands of a loaded config (all by default) with their help texts, read once from the package. */
export function withHelpTexts(
  config: Interfaces.Config,
  commands: readonly Command.Loadable[] = config.commands,
): void {
  if (!textsByRoot.has(config.root)) {
    try {
      textsByRoot.set(config.root, readHelpTexts(config.root))
    } catch {
      // run from the sources (bin/dev.js): the commands come from their classes, texts included
      textsByRoot.set(config.root, undefined)
    }
  }
  const texts = textsByRoot.get(config.root)
  if (!texts) return
  const unfilled = commands.filter((command) => !filled.has(command))
  addHelpTexts(unfilled, texts)
  for (const command of unfilled) filled.add(command)
}
