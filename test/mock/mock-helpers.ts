import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'

import type { DevKey } from '../../src/webhooks/dev-key.js'

let key: DevKey | undefined

/** A real RSA-2048 key, made once per test file, so tests never touch the developer's own dev key. */
export function testDevKey(): DevKey {
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    key = { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
  }
  return key
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

export function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  }
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

/** What a test reads of an answer; the body parsed when it is JSON. */
export interface Answer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  body: any
  text: string
  headers: Headers
}

/** One raw request to the mock, as any client would send it; redirects are not followed. */
export async function callMock(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? bearer(options.token) : {}),
      ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
    redirect: 'manual',
  })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, body, text, headers: response.headers }
}
