import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { UsageError } from '../errors.js'
import { checkPrivateDir, configDirError } from './private-dir.js'
import { configDir, configFile } from './paths.js'

export const DEFAULT_API_URL = 'https://api.kick.com'
export const DEFAULT_AUTH_URL = 'https://id.kick.com'
export const DEFAULT_REDIRECT_URI = 'http://localhost:53682/callback'

/** The keys `kick config` knows. `client-secret` is listed but never lands in the file (keychain only). */
export const CONFIG_KEYS = [
  'client-id',
  'client-secret',
  'redirect-uri',
  'broadcaster-id',
  'api-url',
  'auth-url',
] as const
export type ConfigKey = (typeof CONFIG_KEYS)[number]
export type FileConfigKey = Exclude<ConfigKey, 'client-secret'>

export type ProfileConfig = Partial<Record<FileConfigKey, string>>
interface ConfigFile {
  profiles: Record<string, ProfileConfig>
}

export function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key)
}

/** The key, checked: an unknown key is a usage error that lists the known ones. */
export function configKey(key: string): ConfigKey {
  if (isConfigKey(key)) return key
  throw new UsageError(`unknown config key "${key}": use one of ${CONFIG_KEYS.join(', ')}`)
}

/**
 * Checks a value before it is stored, so a typo fails at `kick config set` and not three commands later.
 * Returns the value as it is stored (URLs without a trailing slash).
 */
export function validateConfigValue(key: ConfigKey, value: string): string {
  const trimmed = value.trim()
  if (trimmed === '') throw new UsageError(`${key} cannot be empty: use \`kick config unset ${key}\``)
  switch (key) {
    case 'api-url':
    case 'auth-url':
      return trimSlash(httpUrl(key, trimmed).href)
    case 'redirect-uri': {
      const url = httpUrl(key, trimmed)
      if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname))
        throw new UsageError(
          `redirect-uri must be an http:// loopback URL (localhost, 127.0.0.1 or [::1]), e.g. ${DEFAULT_REDIRECT_URI}`,
        )
      return trimmed
    }
    case 'broadcaster-id':
      if (!/^[1-9]\d{0,15}$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed)))
        throw new UsageError(`broadcaster-id must be a positive integer (a Kick user id), not "${value}"`)
      return trimmed
    case 'client-id':
      if (/\s/.test(trimmed)) throw new UsageError('client-id cannot contain spaces')
      return trimmed
    case 'client-secret':
      return trimmed
  }
}

/** The hosts a login callback may listen on (SPEC §4: loopback only). */
export const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function httpUrl(key: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${key} must be a URL such as https://example.com, not "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${key} must be an http:// or https:// URL, not "${value}"`)
  return url
}

export function profileName(flag?: string): string {
  const name = flag ?? process.env.KICK_PROFILE ?? 'default'
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new UsageError(`invalid profile name "${name}": use letters, digits, . _ -`)
  return name
}

// Read synchronously (a small file every command reads at start); node:fs/promises is loaded by the first
// write only: on Node 20 it costs ~2.5 ms to load.
export async function readConfigFile(): Promise<ConfigFile> {
  let text: string
  try {
    text = readFileSync(configFile(), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} }
    throw error
  }
  // A config another user could have written may point api-url at a server that collects tokens.
  checkPrivateDir(configDir())
  return parseConfig(text)
}

function parseConfig(text: string): ConfigFile {
  try {
    const parsed = JSON.parse(text) as Partial<ConfigFile>
    const profiles = parsed?.profiles
    if (
      profiles !== undefined &&
      (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))
    )
      throw new Error('profiles is not an object')
    // no prototype: a profile named __proto__ is a key like any other
    return { profiles: Object.assign(Object.create(null) as Record<string, ProfileConfig>, profiles) }
  } catch {
    throw new UsageError(`${configFile()} is not valid JSON: fix or delete it`)
  }
}

/**
 * Read-modify-write of one profile; a profile left with no keys disappears from the file. Other kick
 * processes may be changing the file at the same moment (`kick config set` in parallel scripts): under the
 * config lock the file is read again, changed and written atomically, so every writer's change survives.
 */
export async function updateProfile(profile: string, change: (config: ProfileConfig) => void): Promise<void> {
  const [{ withLock }, { ensureConfigDir, writeFileAtomic }] = await Promise.all([
    import('./lock.js'),
    import('./files.js'),
  ])
  const dir = await ensureConfigDir()
  await withLock(join(dir, 'locks', 'config.lock'), async () => {
    const config = await readConfigFile()
    const current = { ...(config.profiles[profile] ?? {}) }
    change(current)
    if (Object.keys(current).length === 0) delete config.profiles[profile]
    else config.profiles[profile] = current
    try {
      await writeFileAtomic(configFile(), JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
    } catch (error) {
      throw configDirError(error, dir)
    }
  })
}

export async function readProfile(profile: string): Promise<ProfileConfig> {
  return (await readConfigFile()).profiles[profile] ?? {}
}

/** Base URLs and app settings for one profile, environment first (SPEC §2), then the file, then defaults. */
export interface Settings {
  profile: string
  apiUrl: string
  authUrl: string
  redirectUri: string
  clientId?: string
  broadcasterId?: number
}

export async function loadSettings(profile: string): Promise<Settings> {
  const file = await readProfile(profile)
  const broadcaster = file['broadcaster-id']
  return {
    profile,
    apiUrl: trimSlash(envUrl('KICK_API_URL') || file['api-url'] || DEFAULT_API_URL),
    authUrl: trimSlash(envUrl('KICK_AUTH_URL') || file['auth-url'] || DEFAULT_AUTH_URL),
    redirectUri: process.env.KICK_REDIRECT_URI || file['redirect-uri'] || DEFAULT_REDIRECT_URI,
    clientId: process.env.KICK_CLIENT_ID || file['client-id'] || undefined,
    broadcasterId: broadcaster ? Number(broadcaster) : undefined,
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '')

/** A base URL from the environment, checked like `kick config set api-url`: a typo is exit 2, not "Invalid URL". */
function envUrl(name: 'KICK_API_URL' | 'KICK_AUTH_URL'): string | undefined {
  const value = process.env[name]?.trim()
  if (!value) return undefined
  return httpUrl(name, value).href
}

/** The environment variable that overrides each key (SPEC §2). */
export const CONFIG_ENV: Partial<Record<ConfigKey, string>> = {
  'client-id': 'KICK_CLIENT_ID',
  'client-secret': 'KICK_CLIENT_SECRET',
  'redirect-uri': 'KICK_REDIRECT_URI',
  'api-url': 'KICK_API_URL',
  'auth-url': 'KICK_AUTH_URL',
}

export const CONFIG_DEFAULTS: Partial<Record<ConfigKey, string>> = {
  'redirect-uri': DEFAULT_REDIRECT_URI,
  'api-url': DEFAULT_API_URL,
  'auth-url': DEFAULT_AUTH_URL,
}

/** One key's effective value and where it comes from, as `kick config get/list` show it. */
export interface ConfigEntry {
  key: ConfigKey
  /** null when unset; the client secret's value is never shown */
  value: string | null
  /** `file` is config.json; `secret-file` the 0600 fallback store of secrets when no keychain answers */
  source: 'env' | 'file' | 'keychain' | 'secret-file' | 'default' | 'unset'
}

/** A file key's effective value: environment first, then the file, then the default (what loadSettings uses). */
export function fileConfigEntry(profile: ProfileConfig, key: FileConfigKey): ConfigEntry {
  const envName = CONFIG_ENV[key]
  const fromEnv = envName ? process.env[envName] : undefined
  if (fromEnv) return { key, value: fromEnv, source: 'env' }
  const fromFile = profile[key]
  if (fromFile !== undefined) return { key, value: fromFile, source: 'file' }
  const fallback = CONFIG_DEFAULTS[key]
  return fallback !== undefined
    ? { key, value: fallback, source: 'default' }
    : { key, value: null, source: 'unset' }
}
