import { KickError, UsageError } from '../errors.js'
import { failureReason, headerValue, httpRequest } from '../kick/http.js'
import { MOCK_HEADER } from './http.js'

/**
 * The `kick mock …` viewer commands' side: they reach the mock that `kick mock start` runs elsewhere through
 * KICK_API_URL (the line it prints), and POST to its `/mock/` routes. Only KICK_API_URL counts, not the
 * profile's api-url: with nothing set, these commands must not knock on api.kick.com.
 */

const TIMEOUT_MS = 10_000

export async function callRunningMock<T>(path: string, body: Record<string, unknown>): Promise<T> {
  const base = mockUrl()
  const url = new URL(base.pathname.replace(/\/+$/, '') + path, base)
  let response
  try {
    response = await httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: TIMEOUT_MS,
    })
  } catch (error) {
    throw new KickError(
      `no mock answers at ${base.origin} (KICK_API_URL): ${failureReason(error)}; is \`kick mock start\` running?`,
    )
  }
  if (headerValue(response, MOCK_HEADER) !== '1')
    throw new KickError(
      `${base.origin} (KICK_API_URL) is not a kick mock: it answered ${response.status} to POST ${path}`,
    )
  let envelope: { data?: unknown; message?: unknown } = {}
  try {
    envelope = JSON.parse(response.text) as typeof envelope
  } catch {
    // the status alone says it then
  }
  if (response.status >= 300) {
    const detail = typeof envelope.data === 'string' && envelope.data ? envelope.data : envelope.message
    throw new KickError(`the mock answered ${response.status}: ${String(detail ?? response.statusText)}`)
  }
  return envelope.data as T
}

function mockUrl(): URL {
  const value = process.env.KICK_API_URL?.trim()
  if (!value)
    throw new UsageError(
      'KICK_API_URL is not set: start a mock with `kick mock start > mock.env &`, then `. ./mock.env`',
    )
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    // the error below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new UsageError(`KICK_API_URL must be the mock's http(s) URL, got "${value}"`)
  return url
}
/** What a person is told when a viewer's action reached no webhook: on Kick, nothing is sent unsubscribed. */
export function undeliveredNote(event: string, broadcasterUserId: number): string {
  return (
    `no webhook delivery: nothing subscribes to ${event} for channel ${broadcasterUserId} ` +
    `(\`kick events subscribe ${event}\`, with the mock started with --webhook-url)`
  )
}
