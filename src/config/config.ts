import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

import { UsageError } from '../errors.js'
import { configFile } from './paths.js'

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

export function profileName(flag?: string): string {
  const name = flag ?? process.env.KICK_PROFILE ?? 'default'
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new UsageError(`invalid profile name "${name}": use letters, digits, . _ -`)
  return name
}

export async function readConfigFile(): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(configFile(), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} }
    throw error
  }
  try {
    const parsed = JSON.parse(text) as Partial<ConfigFile>
    return { profiles: parsed.profiles ?? {} }
  } catch {
    throw new UsageError(`${configFile()} is not valid JSON: fix or delete it`)
  }
}

/** Writes the whole file atomically (temp file + rename), mode 0600, so a crash never leaves half a file. */
export async function writeConfigFile(config: ConfigFile): Promise<void> {
  const file = configFile()
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  await rename(temp, file)
}

export async function readProfile(profile: string): Promise<ProfileConfig> {
  return (await readConfigFile()).profiles[profile] ?? {}
}

export async function updateProfile(profile: string, change: (config: ProfileConfig) => void): Promise<void> {
  const config = await readConfigFile()
  const current = { ...(config.profiles[profile] ?? {}) }
  change(current)
  config.profiles[profile] = current
  await writeConfigFile(config)
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
    apiUrl: trimSlash(process.env.KICK_API_URL || file['api-url'] || DEFAULT_API_URL),
    authUrl: trimSlash(process.env.KICK_AUTH_URL || file['auth-url'] || DEFAULT_AUTH_URL),
    redirectUri: process.env.KICK_REDIRECT_URI || file['redirect-uri'] || DEFAULT_REDIRECT_URI,
    clientId: process.env.KICK_CLIENT_ID || file['client-id'] || undefined,
    broadcasterId: broadcaster ? Number(broadcaster) : undefined,
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '')
