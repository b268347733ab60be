/**
 * Secrets never reach stdout, stderr or a log (SPEC §2). Everything that prints a request, a response or a
 * form passes through here.
 */

const SECRET_KEYS = new Set([
  'access_token',
  'refresh_token',
  'client_secret',
  'code',
  'code_verifier',
  'token',
  'password',
  'key', // the stream key in GET /channels
])
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'kick-event-signature'])

export const REDACTED = '[redacted]'

/**
 * The environment variables that hold kick's secrets: their values are redacted wherever they appear, and
 * programs kick starts never get them (config/child-env.ts).
 */
export const SECRET_ENV = ['KICK_ACCESS_TOKEN', 'KICK_CLIENT_SECRET', 'NGROK_AUTHTOKEN'] as const

/**
 * Shorter values are not real tokens or secrets (Kick's are dozens of characters): redacting every `abc` in
 * the output would garble it for nothing.
 */
const MIN_SECRET_LENGTH = 8

/** Every secret kick has seen in this process: tokens it read, stored, received or sent, the client secret. */
const known = new Set<string>()
/** `known`, longest first (a secret that contains another is replaced whole); rebuilt after an addition */
let longestFirst: string[] = []

/**
 * Tells the redactor about a secret (a token read from the keychain or a file, a grant's tokens, the client
 * secret): from then on it never appears in a line kick prints, whoever wrote the line (a 401 whose message
 * echoes `Bearer <token>`, a header, a body under --verbose).
 */
export function rememberSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || known.has(value)) return
  known.add(value)
  // as it appears in a query string or a form
  known.add(encodeURIComponent(value))
  longestFirst = [...known].sort((a, b) => b.length - a.length)
}

/**
 * `text` with every secret kick knows replaced by [redacted]: what it remembered and the secret environment
 * variables. Every human line passes through here (escapeControls, escapeLines), and so does JSON on stdout.
 */
export function redactSecrets(text: string): string {
  rememberEnvSecrets()
  let result = text
  for (const secret of longestFirst) if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  return result
}

/** read once: every line (each event of `kick listen`) passes through here, and kick never sets them itself */
let envRemembered = false
function rememberEnvSecrets(): void {
  if (envRemembered) return
  envRemembered = true
  for (const name of SECRET_ENV) rememberSecret(process.env[name])
}

export function redactHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value
  const scheme = /^(Bearer|Basic)\s/i.exec(value)
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED
}

/** `a=1&client_secret=x` → `a=1&client_secret=[redacted]` (also for query strings). */
export function redactForm(form: string): string {
  const params = new URLSearchParams(form)
  for (const key of [...params.keys()]) if (SECRET_KEYS.has(key)) params.set(key, REDACTED)
  return params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED)
}

export function redactUrl(url: string): string {
  const parsed = new URL(url)
  if (!parsed.search) return url
  return `${parsed.origin}${parsed.pathname}?${redactForm(parsed.search.slice(1))}`
}

/** Redacts secret-named fields anywhere in a JSON text; leaves non-JSON text alone. */
export function redactJsonText(text: string): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text
  }
  return JSON.stringify(redactValue(value))
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEYS.has(key) && typeof inner === 'string' ? REDACTED : redactValue(inner),
      ]),
    )
  }
  return value
}
