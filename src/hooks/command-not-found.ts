import type { Hook } from '@oclif/core'

import { ExitCode } from '../errors.js'
import { explainUnknown } from '../help/suggest.js'
import { escapeControls } from '../output/sanitize.js'
import { red } from '../output/terminal.js'

/**
 * An unknown command is a usage error like any other: one line on stderr, the closest command when there is
 * one, exit 2 (oclif's default prints its own multi-line format and exits 2 without a hint).
 *
 * oclif joins every word after a command that takes no arguments into the id (`public-key extra` arrives
 * as `public-key:extra`), and every word after a typo too (`chat:sned:hi`): explainUnknown tells them apart.
 */
const commandNotFound: Hook<'command_not_found'> = async function ({ id, config }) {
  const message = explainUnknown(id.split(':'), config, config.bin)
  process.stderr.write(`${red('Error:')} ${escapeControls(message)}\n`)
  process.exitCode = ExitCode.usage
}

export default commandNotFound
