import type { Command } from '@oclif/core'

type Flag = Command.Flag.Cached

/**
 * A command's usage line, docopt style, showing only the exclusions the flags declare.
 *
 * oclif's own line puts a flag and everything it excludes into one `[a | b | c]` group, which reads as "at
 * most one of these": for `redemptions list`, whose `--id` excludes four filters that combine freely with
 * each other, it claimed all five exclude each other. Here a group is `[a | b | c]` only when every pair
 * excludes each other, and otherwise `[--id <value>... | [--status …] [--cursor <value>]]`. The command's
 * own flags come first, the global ones (--json, --profile, --verbose) last.
 */
export function usageLine(command: Command.Cached | Command.Loadable): string {
  const words: string[] = ['<%= command.id %>']
  for (const arg of Object.values(command.args ?? {})) {
    if (arg.hidden) continue
    const name = `${arg.name.toUpperCase()}${arg.multiple || command.strict === false ? '...' : ''}`
    words.push(arg.required ? name : `[${name}]`)
  }

  const visible = Object.values(command.flags ?? {}).filter((flag) => !flag.hidden)
  const global = (flag: Flag): boolean => flag.helpGroup === 'GLOBAL'
  const ordered = [
    ...visible.filter((flag) => !global(flag) && flag.required),
    ...visible.filter((flag) => !global(flag) && !flag.required),
    ...visible.filter(global),
  ]
  const excludes = (a: Flag, b: Flag): boolean =>
    Boolean(a.exclusive?.includes(b.name) || b.exclusive?.includes(a.name))
  // A flag that needs another is shown inside that one's brackets: `[--rate-limit <value> [--window <value>]]`.
  const dependents = (flag: Flag): Flag[] => ordered.filter((other) => other.dependsOn?.includes(flag.name))
  const element = (flag: Flag): string => {
    const inner = [flagWord(flag), ...dependents(flag).map((other) => `[${element(other)}]`)]
    return inner.join(' ')
  }

  // The flag that excludes the most others leads its group (`--id` of redemptions list); each group is shown
  // where its first member would be.
  const partnersOf = (flag: Flag): Flag[] =>
    ordered.filter((other) => other !== flag && excludes(flag, other))
  const leaders = [...ordered].sort((a, b) => partnersOf(b).length - partnersOf(a).length)
  const needsShown = (flag: Flag): boolean =>
    Boolean(flag.dependsOn?.some((name) => ordered.some((other) => other.name === name)))
  const done = new Set<string>()
  const groups: { at: number; text: string }[] = []
  for (const flag of leaders) {
    if (done.has(flag.name) || needsShown(flag)) continue
    const partners = partnersOf(flag).filter((other) => !done.has(other.name))
    const members = [flag, ...partners]
    for (const member of members) done.add(member.name)
    const at = Math.min(...members.map((member) => ordered.indexOf(member)))
    if (!partners.length) {
      groups.push({ at, text: flag.required ? element(flag) : `[${element(flag)}]` })
      continue
    }
    const clique = partners.every((a) => partners.every((b) => a === b || excludes(a, b)))
    const inner = clique
      ? members.map(element).join(' | ')
      : `${element(flag)} | ${partners.map((partner) => `[${element(partner)}]`).join(' ')}`
    groups.push({ at, text: members.some((member) => member.required) ? `(${inner})` : `[${inner}]` })
  }
  words.push(...groups.sort((a, b) => a.at - b.at).map((group) => group.text))
  return words.join(' ')
}

function flagWord(flag: Flag): string {
  const name = flag.char ? `-${flag.char}` : `--${flag.name}`
  if (flag.type === 'boolean') return name
  const value =
    flag.helpValue === undefined ? (flag.options?.join('|') ?? '<value>') : [flag.helpValue].flat().join(' ')
  return `${name} ${value}${flag.multiple ? '...' : ''}`
}
