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
