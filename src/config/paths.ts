import { homedir } from 'node:os'
import { join } from 'node:path'

/** The platform config dir (`$XDG_CONFIG_HOME/kick`, `%APPDATA%\kick` on Windows), like gh's. */
export function configDir(): string {
  if (process.env.XDG_CONFIG_HOME) return join(process.env.XDG_CONFIG_HOME, 'kick')
  return standardConfigDir()
}

/** Where the config dir is when XDG_CONFIG_HOME does not move it. */
export function standardConfigDir(): string {
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'kick')
  return join(homedir(), '.config', 'kick')
}

/** The cache dir (`$XDG_CACHE_HOME/kick`, `%LOCALAPPDATA%\kick\cache` on Windows): the webhook public key and
 * the code caches of bin/run.js (which reads this rule from dist/paths.cjs), nothing secret. */
export function cacheDir(): string {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'kick')
  if (process.platform === 'win32' && process.env.LOCALAPPDATA)
    return join(process.env.LOCALAPPDATA, 'kick', 'cache')
  return join(homedir(), '.cache', 'kick')
}

export const configFile = (): string => join(configDir(), 'config.json')
