/** What the typed words name, for `kick`'s "unknown command" line and `kick help WORDS`. */
export interface CommandSurface {
  /** command ids and aliases, words joined by ':' */
  readonly commandIDs: readonly string[]
  readonly topics: readonly { readonly name: string }[]
}

/**
 * Why typed words name no command, as one line (no `Error:` prefix): an extra word after a command that
 * takes no arguments is an "unexpected argument"; otherwise the first word that names nothing is the unknown
 * command, with the closest command or topic when one is near (the words after a typo are its arguments:
 * `chat sned hi` means `chat send`), else the help of the topic typed so far.
 */
export function explainUnknown(words: readonly string[], surface: CommandSurface, bin: string): string {
  const commands = new Set(surface.commandIDs)
  const topics = new Set(surface.topics.map((topic) => topic.name))
  for (let length = words.length - 1; length >= 1; length--) {
    const id = words.slice(0, length).join(':')
    if (commands.has(id)) {
      const command = words.slice(0, length).join(' ')
      return `unexpected argument "${words[length]}": \`${bin} ${command}\` takes none (see \`${bin} ${command} --help\`)`
    }
  }

  // The words that name topics (`chat` of `chat sned hi`) are not the unknown part.
  let topicLength = 0
  while (topicLength < words.length && topics.has(words.slice(0, topicLength + 1).join(':'))) topicLength++
  const known = [...commands, ...topics].map((id) => id.replaceAll(':', ' '))
  for (let length = words.length; length > topicLength; length--) {
    const typed = words.slice(0, length).join(' ')
    const suggestion = closestCommand(typed, known)
    if (suggestion && suggestion !== typed)
      return `unknown command "${typed}": did you mean \`${bin} ${suggestion}\`?`
  }
  const typed = words.slice(0, topicLength + 1).join(' ')
  const topic = words.slice(0, topicLength).join(' ')
  return `unknown command "${typed}": see \`${bin}${topic ? ` ${topic}` : ''} --help\``
}

/** The known command within a small edit distance of what was typed, if any. */
export function closestCommand(typed: string, known: readonly string[]): string | undefined {
  let best: { command: string; distance: number } | undefined
  for (const command of known) {
    const distance = editDistance(typed, command)
    if (!best || distance < best.distance) best = { command, distance }
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 4)) ? best.command : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length]!
}
