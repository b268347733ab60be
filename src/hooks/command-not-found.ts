import type { Hook } from '@oclif/core'

import { ExitCode } from '../errors.js'
import { escapeControls } from '../output/sanitize.js'
import { red } from '../output/terminal.js'

/**
 * An unknown command is a usage error like any other: one line on stderr, the closest command when there is
 * one, exit 2 (oclif's default prints its own multi-line format and exits 2 without a hint).
 */
const commandNotFound: Hook<'command_not_found'> = async function ({ id, config }) {
  const typed = id.replaceAll(':', ' ')
  const known = config.commandIDs.map((command) => command.replaceAll(':', ' '))
  const suggestion = closestCommand(typed, known)
  const hint = suggestion ? `did you mean \`${config.bin} ${suggestion}\`?` : `see \`${config.bin} --help\``
  process.stderr.write(`${red('Error:')} unknown command "${escapeControls(typed)}": ${hint}\n`)
  process.exitCode = ExitCode.usage
}

export default commandNotFound

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
