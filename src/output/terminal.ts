import { escapeControls } from './sanitize.js'

/**
 * Colour for a terminal, decided as chalk-based tools do, but NO_COLOR (https://no-color.org) wins over
 * everything. FORCE_COLOR (but `0` or `false`, which turn colour off even at a terminal) and CLICOLOR_FORCE
 * (but `0`) turn it on where the stream is not a terminal: a pager, a CI log that renders ANSI.
 */
export function colourEnabled(stream: Pick<NodeJS.WriteStream, 'isTTY'> = process.stderr): boolean {
  const { NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE } = process.env
  if (NO_COLOR) return false
  if (FORCE_COLOR !== undefined) return FORCE_COLOR !== '0' && FORCE_COLOR !== 'false'
  if (CLICOLOR_FORCE && CLICOLOR_FORCE !== '0') return true
  return Boolean(stream.isTTY)
}

export function paint(code: number, text: string, stream: NodeJS.WriteStream = process.stderr): string {
  return colourEnabled(stream) ? `\u001B[${code}m${text}\u001B[0m` : text
}

export const dim = (text: string, stream?: NodeJS.WriteStream): string => paint(2, text, stream)
export const red = (text: string, stream?: NodeJS.WriteStream): string => paint(31, text, stream)
export const green = (text: string, stream?: NodeJS.WriteStream): string => paint(32, text, stream)
export const yellow = (text: string, stream?: NodeJS.WriteStream): string => paint(33, text, stream)
export const cyan = (text: string, stream?: NodeJS.WriteStream): string => paint(36, text, stream)

/** Prompts need both ends of a terminal; scripts and CI never get asked anything. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env.CI
}

/** A warning, one line on stderr (also in JSON mode): what base-command's warning() and config's checks say. */
export function writeWarning(message: string): void {
  process.stderr.write(`${yellow('Warning:')} ${escapeControls(message)}\n`)
}
