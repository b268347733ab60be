import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

import { checkPrivateDir, configDirError } from '../config/private-dir.js'
import { configDir } from '../config/paths.js'
import { KickError } from '../errors.js'
import { rememberSecret } from '../output/redact.js'
import { Keychain, KeychainUnavailable } from './keychain.js'

/** What is kept per profile: the user token pair, the cached app token, the app's client secret. */
export type SecretItem = 'tokens' | 'app-token' | 'client-secret'

export type Storage = 'keychain' | 'file'

export interface StoredSecret {
  value: string
  storage: Storage
  /** the fallback file, when that is where it is */
  file?: string
}

const DESCRIBE: Record<SecretItem, string> = {
  tokens: 'the login tokens',
  'app-token': 'the app access token',
  'client-secret': 'the client secret',
}

/** The fallback store's directory (0700, only the user may write it). */
const credentialsDir = (): string => join(configDir(), 'credentials')

/** Said of a fallback file where the mode means something: Windows ignores it (the profile's ACL guards the file). */
const MODE_NOTE = process.platform === 'win32' ? '' : ' (mode 0600)'

/**
 * Secrets by profile: the OS keychain first; when the keychain does not answer, a 0600 file in the config
 * dir, with a warning naming it (SPEC §7, as `gh` does). Every value is one keychain entry or one file, so a
 * token pair is written whole or not at all.
 */
export class SecretStore {
  constructor(
    private readonly warn: (message: string) => void,
    readonly keychain = new Keychain(),
  ) {}

  static account(profile: string, item: SecretItem): string {
    return `${profile}:${item}`
  }

  static fallbackFile(profile: string, item: SecretItem): string {
    return join(credentialsDir(), `${profile}.${item}`)
  }

  async get(profile: string, item: SecretItem): Promise<StoredSecret | undefined> {
    return (await this.candidates(profile, item))[0]
  }

  /**
   * Every copy of the secret: the keychain's first, then the fallback file's. Both exist after a keychain
   * outage: what was stored in the file meanwhile may be newer than what the keychain still holds, so a
   * caller that can tell which is newer (the token pair, by issue time) picks; others take the first.
   * A keychain that did not answer, with no file to fall back on, is an error saying so, not "nothing stored"
   * (which would read as "not logged in"), except for the app token, a cache that is simply fetched again.
   */
  async candidates(profile: string, item: SecretItem): Promise<StoredSecret[]> {
    const found: StoredSecret[] = []
    let silent: KeychainUnavailable | undefined
    try {
      const value = await this.keychain.get(SecretStore.account(profile, item))
      if (value !== null) found.push({ value, storage: 'keychain' })
    } catch (error) {
      if (!(error instanceof KeychainUnavailable)) throw error
      if (error.timedOut) silent = error
    }
    // Also consulted when the keychain answers: what was stored while it was unavailable is still there.
    const file = SecretStore.fallbackFile(profile, item)
    const value = await readIfExists(file)
    if (value !== undefined) found.push({ value, storage: 'file', file })
    for (const copy of found) rememberStored(item, copy.value)
    if (silent) {
      if (found.length === 0 && item !== 'app-token') {
        throw new KickError(
          `${silent.message}, so ${DESCRIBE[item]} of profile ${profile} could not be read: ` +
            `unlock or restart it (e.g. gnome-keyring) and try again${item === 'tokens' ? ', or set KICK_ACCESS_TOKEN' : ', or set KICK_CLIENT_SECRET'}`,
        )
      }
      // Only a keychain that made the user wait is worth a warning on every read.
      this.warnOnce(`${silent.message}; using the file store in ${credentialsDir()}`)
    }
    return found
  }

  async set(profile: string, item: SecretItem, value: string): Promise<StoredSecret> {
    rememberStored(item, value)
    const file = SecretStore.fallbackFile(profile, item)
    try {
      await this.keychain.set(SecretStore.account(profile, item), value)
      // Once the keychain holds it, no copy may linger in a file.
      await rm(file, { force: true })
      return { value, storage: 'keychain' }
    } catch (error) {
      if (!(error instanceof KeychainUnavailable)) throw error
      const existed = (await readIfExists(file)) !== undefined
      await writeSecretFile(file, value)
      // Said when a secret lands in a file, not again on every refresh that rewrites it.
      if (!existed)
        this.warn(`${error.message}: stored ${DESCRIBE[item]} in ${file}${MODE_NOTE} instead of the keychain`)
      return { value, storage: 'file', file }
    }
  }

  /** Removes the secret from the keychain and the file store; true when there was one. */
  async delete(profile: string, item: SecretItem): Promise<boolean> {
    let deleted = false
    try {
      deleted = await this.keychain.delete(SecretStore.account(profile, item))
    } catch (error) {
      if (!(error instanceof KeychainUnavailable)) throw error
    }
    const file = SecretStore.fallbackFile(profile, item)
    if ((await readIfExists(file)) !== undefined) {
      await rm(file, { force: true })
      deleted = true
    }
    return deleted
  }

  close(): void {
    this.keychain.close()
  }

  private warned = false
  private warnOnce(message: string): void {
    if (this.warned) return
    this.warned = true
    this.warn(message)
  }
}

/** Tells the redactor the secrets in a stored value: the client secret, or a token pair's JSON. */
function rememberStored(item: SecretItem, value: string): void {
  if (item === 'client-secret') return rememberSecret(value)
  try {
    const parsed = JSON.parse(value) as { access_token?: unknown; refresh_token?: unknown }
    rememberSecret(parsed?.access_token)
    rememberSecret(parsed?.refresh_token)
  } catch {
    // not a pair: nothing kick would print from it
  }
}

/**
 * A fallback file's secret, or undefined when there is none. A token in a directory other users can write
 * may be theirs: such a directory is fixed or refused first (see checkPrivateDir).
 */
async function readIfExists(file: string): Promise<string | undefined> {
  let value: string
  try {
    value = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  checkPrivateDir(configDir())
  checkPrivateDir(credentialsDir())
  return value
}

/**
 * An exclusive temp file + rename in a 0700 dir only the user can write: readers see the old secret or the
 * new one, never half of one, and nothing planted in the dir is written through.
 */
async function writeSecretFile(file: string, value: string): Promise<void> {
  // loaded on the first write only (it loads node:crypto): reading a login needs none of it
  const { ensurePrivateDir, writeFileAtomic } = await import('../config/files.js')
  await ensurePrivateDir(configDir())
  await ensurePrivateDir(credentialsDir())
  try {
    await writeFileAtomic(file, value, { mode: 0o600 })
  } catch (error) {
    throw configDirError(error, credentialsDir())
  }
}
