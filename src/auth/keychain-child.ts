/**
 * The keychain runs in this child process, never in the CLI's own: a Secret Service that accepts the D-Bus
 * connection but never answers blocks the native call (and with it the whole thread), and only a separate
 * process can be killed when that happens. Protocol: one JSON request per line on stdin, one JSON answer per
 * line on stdout; it exits when stdin closes (the CLI is done).
 */
import { createInterface } from 'node:readline'

import type { KeychainAnswer, KeychainRequest } from './keychain.js'

const { Entry } = await import('@napi-rs/keyring')

function handle(request: KeychainRequest): KeychainAnswer {
  try {
    const entry = new Entry(request.service, request.account, { linux: { store: 'secret-service' } })
    switch (request.op) {
      case 'get':
        return { id: request.id, ok: true, value: entry.getPassword() }
      case 'set':
        entry.setPassword(request.value ?? '')
        return { id: request.id, ok: true, value: null }
      case 'delete':
        return { id: request.id, ok: true, value: entry.deleteCredential() ? 'deleted' : null }
    }
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (!line.trim()) return
  const answer = handle(JSON.parse(line) as KeychainRequest)
  process.stdout.write(JSON.stringify(answer) + '\n')
})
lines.on('close', () => process.exit(0))
