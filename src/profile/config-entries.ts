import { SecretStore } from '../auth/secret-store.js'
import type { Session } from '../auth/session.js'
import {
  CONFIG_ENV,
  CONFIG_KEYS,
  type ConfigEntry,
  type ConfigKey,
  fileConfigEntry,
  readProfile,
  updateProfile,
  validateConfigValue,
} from '../config/config.js'

/** What `kick config` shows for the client secret: that it is set and where, never the secret itself. */
export const HIDDEN = '(hidden)'

/**
 * `kick config` over one profile: every key lives in config.json except `client-secret`, which lives in the
 * keychain (or the 0600 fallback store) through the session's secret store. It needs both `config/` and
 * `auth/` (which reads config), so it lives above both rather than in either.
 */
export async function getConfigEntry(session: Session, key: ConfigKey): Promise<ConfigEntry> {
  if (key === 'client-secret') return clientSecretEntry(session)
  return fileConfigEntry(await readProfile(session.profile), key)
}

export async function listConfigEntries(session: Session): Promise<ConfigEntry[]> {
  const profile = await readProfile(session.profile)
  return Promise.all(
    CONFIG_KEYS.map((key) =>
      key === 'client-secret' ? clientSecretEntry(session) : fileConfigEntry(profile, key),
    ),
  )
}

export interface SetResult {
  profile: string
  key: ConfigKey
  value: string
  /** `config.json`, `keychain` or the fallback file's path */
  stored_in: string
  /** an environment variable that overrides what was just stored, if one is set */
  overridden_by?: string
}

export async function setConfigEntry(session: Session, key: ConfigKey, raw: string): Promise<SetResult> {
  const value = validateConfigValue(key, raw)
  const envName = CONFIG_ENV[key]
  const overridden = envName && process.env[envName] ? { overridden_by: envName } : {}
  if (key === 'client-secret') {
    const stored = await (await session.store()).set(session.profile, 'client-secret', value)
    return {
      profile: session.profile,
      key,
      value: HIDDEN,
      stored_in: stored.storage === 'file' ? stored.file! : 'keychain',
      ...overridden,
    }
  }
  await updateProfile(session.profile, (config) => (config[key] = value))
  return { profile: session.profile, key, value, stored_in: 'config.json', ...overridden }
}

export async function unsetConfigEntry(
  session: Session,
  key: ConfigKey,
): Promise<{ key: ConfigKey; removed: boolean }> {
  if (key === 'client-secret') {
    return { key, removed: await (await session.store()).delete(session.profile, 'client-secret') }
  }
  let removed = false
  await updateProfile(session.profile, (config) => {
    removed = config[key] !== undefined
    delete config[key]
  })
  return { key, removed }
}

/**
 * Where a client secret that is set is kept, for `kick config get client-secret`, which never prints it: a
 * script that captures `$(kick config get client-secret)` must fail rather than capture a placeholder.
 */
export function secretWhereabouts(profile: string, source: ConfigEntry['source']): string {
  if (source === 'env') return 'the KICK_CLIENT_SECRET environment variable'
  if (source === 'secret-file') return `${SecretStore.fallbackFile(profile, 'client-secret')} (mode 0600)`
  return `the system keychain (entry ${SecretStore.account(profile, 'client-secret')})`
}

async function clientSecretEntry(session: Session): Promise<ConfigEntry> {
  if (process.env.KICK_CLIENT_SECRET) return { key: 'client-secret', value: HIDDEN, source: 'env' }
  const stored = await (await session.store()).get(session.profile, 'client-secret')
  if (!stored) return { key: 'client-secret', value: null, source: 'unset' }
  return {
    key: 'client-secret',
    value: HIDDEN,
    source: stored.storage === 'file' ? 'secret-file' : 'keychain',
  }
}
