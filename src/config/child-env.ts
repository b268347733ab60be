import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { createRequire } from 'node:module'

import { rememberSecret, SECRET_ENV } from '../output/redact.js'

// The variables that hold kick's secrets (SECRET_ENV): a program kick starts (the `$BROWSER` opener,
// cloudflared, the keychain helper) has no use for them, and a browser or a tunnel client that logs its
// environment, or a `$BROWSER` that is someone else's script, must not get them.

/** kick's environment without its secrets, for a child process. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env }
  for (const name of SECRET_ENV) delete copy[name]
  return copy
}

/** The one way kick starts a program: `spawn` with {@link childEnv} (an `env` given is cleaned too). */
export function spawnChild(file: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  // required at the first start, not at load: the update notice, which every run loads, starts its check here
  const { spawn } = createRequire(import.meta.url)(
    'node:child_process',
  ) as typeof import('node:child_process')
  return spawn(file, args, { ...options, env: childEnv(options.env ?? process.env) })
}

/**
 * Runs `start`, which starts a program through a library that gives it kick's own environment (`open`
 * takes no `env`), with the secrets out of process.env until it returns, then puts them back.
 */
export async function withoutSecretsInEnv<T>(start: () => Promise<T>): Promise<T> {
  const saved: [string, string][] = []
  for (const name of SECRET_ENV) {
    const value = process.env[name]
    if (value === undefined) continue
    saved.push([name, value])
    // still redacted in what kick prints meanwhile
    rememberSecret(value)
    delete process.env[name]
  }
  try {
    return await start()
  } finally {
    for (const [name, value] of saved) process.env[name] = value
  }
}
