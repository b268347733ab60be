import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { posix, win32 } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { spawnChild } from '../config/child-env.js'
import { configDir, standardConfigDir } from '../config/paths.js'

/** The keychain service kick's secrets are filed under; the account says which profile and what. */
export const KEYCHAIN_SERVICE = 'kick-cli'

/**
 * The service for this config dir. The keychain is one per user while config dirs are not: a config dir
 * moved with XDG_CONFIG_HOME (another install, a test's isolated home) gets entries of its own, so its
 * profiles never pick up tokens issued for another config's app and API.
 */
export function keychainService(): string {
  return keychainServiceFor(configDir(), standardConfigDir())
}

/**
 * The service for config dir `dir`, where `standardDir` is the one XDG_CONFIG_HOME did not move. The same
 * directory always gets the same service: the path is made absolute, and on Windows, whose paths ignore
 * letter case (`C:\Users\Me` and `c:\users\me` are one directory), lower-cased.
 */
export function keychainServiceFor(dir: string, standardDir: string, platform = process.platform): string {
  const normalise = (path: string): string =>
    platform === 'win32' ? win32.resolve(path).toLowerCase() : posix.resolve(path)
  const normalised = normalise(dir)
  return normalised === normalise(standardDir) ? KEYCHAIN_SERVICE : `${KEYCHAIN_SERVICE}:${normalised}`
}

/**
 * How long one keychain operation may take before the keychain is given up on for the rest of the run
 * (SPEC §7: within 3 s). It includes starting the helper process, which takes ~0.1 s.
 */
export const KEYCHAIN_TIMEOUT_MS = 2_500

/**
 * KICK_KEYCHAIN_TIMEOUT_MS (undocumented: tests of the real keychain on a loaded machine, where
 * gnome-keyring can take seconds to answer, would otherwise test the timeout instead), else the bound above.
 */
function keychainTimeoutMs(): number {
  const value = Number(process.env.KICK_KEYCHAIN_TIMEOUT_MS)
  return Number.isFinite(value) && value > 0 ? value : KEYCHAIN_TIMEOUT_MS
}

export interface KeychainRequest {
  id: number
  op: 'get' | 'set' | 'delete'
  service: string
  account: string
  value?: string
}

export type KeychainAnswer =
  { id: number; ok: true; value: string | null } | { id: number; ok: false; error: string }

/** D-Bus's own words when the service it waited on never replied. */
const NO_REPLY = /Did not receive a reply|NoReply/i

/** The keychain did not answer, or answered with an error: the caller falls back to the file store. */
export class KeychainUnavailable extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message)
    this.name = 'KeychainUnavailable'
  }
}

interface Pending {
  resolve: (value: string | null) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/**
 * The OS keychain (`@napi-rs/keyring`, Secret Service on Linux), reached through a helper process with a hard
 * timeout. The native calls block their thread when the Secret Service accepts a connection but never
 * answers; in a child process that costs nothing but the child, which is killed. After one failure the
 * keychain counts as unavailable for the rest of the run, so a hanging keychain costs the bound once.
 */
export class Keychain {
  private child?: ChildProcess
  private failure?: KeychainUnavailable
  private nextId = 1
  private readonly pending = new Map<number, Pending>()

  constructor(
    readonly service = keychainService(),
    private readonly timeoutMs = keychainTimeoutMs(),
  ) {}

  get(account: string): Promise<string | null> {
    return this.request({ op: 'get', account })
  }

  async set(account: string, value: string): Promise<void> {
    await this.request({ op: 'set', account, value })
  }

  /** True when something was deleted. */
  async delete(account: string): Promise<boolean> {
    return (await this.request({ op: 'delete', account })) !== null
  }

  /** Why the keychain is not used, once it failed. */
  get unavailable(): KeychainUnavailable | undefined {
    return this.failure
  }

  close(): void {
    this.child?.kill('SIGKILL')
    this.child = undefined
  }

  private request(request: Omit<KeychainRequest, 'id' | 'service'>): Promise<string | null> {
    if (this.failure) return Promise.reject(this.failure)
    let child: ChildProcess
    try {
      child = this.helper()
    } catch (error) {
      return Promise.reject(
        this.fail(new KeychainUnavailable(`could not start the keychain helper: ${error}`)),
      )
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new KeychainUnavailable(
            `the system keychain did not answer within ${this.timeoutMs / 1000} s`,
            true,
          ),
        )
      }, this.timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      child.stdin!.write(JSON.stringify({ ...request, id, service: this.service }) + '\n')
    })
  }

  private helper(): ChildProcess {
    if (this.child) return this.child
    const script = fileURLToPath(new URL('./keychain-child.js', import.meta.url))
    if (!existsSync(script)) throw new Error(`${script} is missing (run the build)`)
    const child = spawnChild(process.execPath, [script], { stdio: ['pipe', 'pipe', 'ignore'] })
    this.child = child
    // Neither the helper nor its pipes keep the CLI alive; a pending request's timer does, until it settles.
    child.unref()
    ;(child.stdin as unknown as { unref?: () => void }).unref?.()
    ;(child.stdout as unknown as { unref?: () => void }).unref?.()
    child.stdin!.on('error', () => undefined)
    child.on('error', (error) =>
      this.fail(new KeychainUnavailable(`keychain helper failed: ${error.message}`)),
    )
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined
      if (this.pending.size > 0)
        this.fail(new KeychainUnavailable(`keychain helper exited (${signal ?? `code ${code}`})`))
    })
    createInterface({ input: child.stdout! }).on('line', (line) => this.answer(line))
    // A hung helper must not outlive the CLI when it exits early (Ctrl-C, an error).
    process.once('exit', () => child.kill('SIGKILL'))
    return child
  }

  private answer(line: string): void {
    let answer: KeychainAnswer
    try {
      answer = JSON.parse(line) as KeychainAnswer
    } catch {
      return
    }
    const pending = this.pending.get(answer.id)
    if (!pending) return
    // A keychain that fails once (no D-Bus, locked, no Secret Service) is not asked again in this run,
    // so one profile's secrets never end up split between the keychain and the file.
    if (!answer.ok) {
      // A Secret Service that holds its name but never answers (frozen, stopped) can make D-Bus give up
      // first, with NoReply: that is the keychain not answering too, not a keychain that is absent.
      if (NO_REPLY.test(answer.error))
        this.fail(
          new KeychainUnavailable(
            `the system keychain did not answer within ${this.timeoutMs / 1000} s`,
            true,
          ),
        )
      else this.fail(new KeychainUnavailable(`the system keychain failed: ${answer.error}`))
      return
    }
    this.pending.delete(answer.id)
    clearTimeout(pending.timer)
    pending.resolve(answer.value)
  }

  private fail(error: KeychainUnavailable): KeychainUnavailable {
    this.failure ??= error
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(error)
      this.pending.delete(id)
    }
    this.close()
    return error
  }
}
