import { redactSecrets } from './redact.js'

/**
 * Text written by other people (chat messages, usernames, titles, Kick's error messages, a login callback's
 * error_description) made inert before a terminal sees it: every C0 and C1 control character, DEL, and the
 * Unicode bidirectional overrides are shown escaped, so an OSC sequence cannot retitle the terminal, a CSI
 * cannot colour or move the cursor, a CR cannot overwrite a line and a newline cannot forge a second one.
 * Every human-readable line goes through this; JSON output escapes these characters already.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\u001B': '\\e', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Text of several lines from others (a raw response body, a PEM, --verbose details): each line escaped as
 * `escapeControls` does, its line breaks kept.
 */
export function escapeLines(text: string): string {
  return text.split(/\r?\n/).map(escapeControls).join('\n')
}

/** The one function every human-readable line passes through: kick's secrets redacted, controls made inert. */
export function escapeControls(raw: string): string {
  const text = redactSecrets(raw)
  UNSAFE.lastIndex = 0
  if (!UNSAFE.test(text)) return text
  return text.replace(
    UNSAFE,
    (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * Text from others cut to `max` characters, saying how much was left out: what a log line echoes of a request
 * (its URL, an id, a timestamp) stays short whatever the sender made it.
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more)`
}
