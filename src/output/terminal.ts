/** Colour only for a terminal, and never with NO_COLOR (https://no-color.org). */
export function colourEnabled(stream: NodeJS.WriteStream = process.stderr): boolean {
  return !process.env.NO_COLOR && Boolean(stream.isTTY)
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
