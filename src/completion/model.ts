import type { Command } from '@oclif/core'

/**
 * What shell completion knows, taken from the loaded manifest (oclif.manifest.json) when the script is
 * printed: new commands, flags and value sets appear without a hand-kept list, and the script itself is
 * plain shell, so completing runs no `kick` and no Node at all.
 */
export interface CompletionModel {
  bin: string
  /** every command and topic path (`users`, `users get`, `listen`), with its one-line summary */
  paths: { path: string; summary: string; command: boolean }[]
  commands: CompletionCommand[]
}

export interface CompletionCommand {
  path: string
  flags: CompletionFlag[]
  /** values offered for positional arguments (a fixed set: event types, config keys, shells) */
  argValues: string[]
}

export interface CompletionFlag {
  /** `--name` */
  long: string
  /** `-X`, when it has one */
  short?: string
  summary: string
  takesValue: boolean
  /** the fixed set of values, when there is one */
  values: string[]
  /** a comma-separated list of those values (`--scopes user:read,chat:write`) */
  list: boolean
}

/**
 * Values a command offers that oclif's `options` cannot state: comma-separated lists and arguments the command
 * checks itself. A command declares them as `static completions = { '--scopes': SCOPES, event: EVENT_TYPES }`
 * (flags by `--name`, arguments by name); oclif copies the property into the manifest.
 */
export type CompletionValues = Record<string, readonly string[]>

interface ManifestCommand extends Command.Loadable {
  completions?: CompletionValues
}

export function completionModel(
  bin: string,
  commands: readonly Command.Loadable[],
  topics: readonly { name: string; description?: string; hidden?: boolean }[],
): CompletionModel {
  const visible = (commands as readonly ManifestCommand[]).filter((command) => !command.hidden)
  const byPath = new Map<string, CompletionCommand>()
  const paths = new Map<string, { summary: string; command: boolean }>()
  for (const command of visible) {
    const model = commandModel(command)
    for (const id of [command.id, ...(command.aliases ?? [])]) {
      const path = id.replaceAll(':', ' ')
      byPath.set(path, { ...model, path })
      paths.set(path, { summary: firstLine(command.summary ?? command.description), command: true })
    }
  }
  for (const topic of topics) {
    const path = topic.name.replaceAll(':', ' ')
    if (topic.hidden || paths.has(path)) continue
    if (!visible.some((command) => command.id.startsWith(`${topic.name}:`))) continue
    paths.set(path, { summary: firstLine(topic.description), command: false })
  }
  return {
    bin,
    paths: [...paths].map(([path, entry]) => ({ path, ...entry })).sort((a, b) => compare(a.path, b.path)),
    commands: [...byPath.values()].sort((a, b) => compare(a.path, b.path)),
  }
}

function commandModel(command: ManifestCommand): Omit<CompletionCommand, 'path'> {
  const extra = command.completions ?? {}
  const flags: CompletionFlag[] = Object.values(command.flags ?? {})
    .filter((flag) => !flag.hidden)
    .map((flag) => {
      const listed = extra[`--${flag.name}`]
      return {
        long: `--${flag.name}`,
        short: flag.char ? `-${flag.char}` : undefined,
        summary: firstLine(flag.summary ?? flag.description),
        takesValue: flag.type === 'option',
        values: [...(listed ?? (flag.type === 'option' ? flag.options : undefined) ?? [])],
        list: listed !== undefined,
      }
    })
  flags.push({
    long: '--help',
    short: '-h',
    summary: 'show help',
    takesValue: false,
    values: [],
    list: false,
  })
  const argValues = Object.values(command.args ?? {}).flatMap((arg) => [
    ...(extra[arg.name] ?? arg.options ?? []),
  ])
  return { flags, argValues: [...new Set(argValues)] }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.trim()
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The children of a path: the next words that make a longer known path. */
export function childrenOf(model: CompletionModel, path: string): { word: string; summary: string }[] {
  const depth = path === '' ? 0 : path.split(' ').length
  return model.paths
    .filter(
      (entry) =>
        entry.path.split(' ').length === depth + 1 && (path === '' || entry.path.startsWith(`${path} `)),
    )
    .map((entry) => ({ word: entry.path.split(' ')[depth]!, summary: entry.summary }))
}

/** Every path that has children (the root is ''). */
export function parentPaths(model: CompletionModel): string[] {
  const parents = new Set([''])
  for (const { path } of model.paths) {
    const words = path.split(' ')
    for (let i = 1; i < words.length; i++) parents.add(words.slice(0, i).join(' '))
  }
  return [...parents].sort(compare)
}
