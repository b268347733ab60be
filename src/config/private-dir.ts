import { accessSync, chmodSync, constants, type Stats, statSync } from 'node:fs'
import { dirname } from 'node:path'

import { KickError } from '../errors.js'
import { writeWarning } from '../output/terminal.js'
import { configDir } from './paths.js'

/** Why a directory cannot be written, in words (permission denied, read-only filesystem, …). */
export function writeFailure(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException
  if (code === 'EROFS') return 'read-only filesystem'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ENOSPC') return 'no space left on the device'
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way'
  return code ?? message
}

const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'])

/**
 * A failure to write in the config dir (a read-only HOME, a dir owned by someone else) as one line naming
 * the directory and how to move it, instead of `EACCES: permission denied, mkdir …`. Other errors pass.
 */
export function configDirError(error: unknown, dir = configDir()): unknown {
  if (error instanceof KickError) return error
  let cause = error as NodeJS.ErrnoException
  // a recursive mkdir on a read-only filesystem fails with ENOENT: the nearest existing parent says why
  if (cause.code === 'ENOENT' && cause.syscall === 'mkdir') cause = nearestParentFailure(dir) ?? cause
  if (!cause.code || !CANNOT_WRITE.has(cause.code)) return error
  return new KickError(
    `cannot write kick's config directory ${dir} (${writeFailure(cause)}): make it writable, or set ` +
      'XDG_CONFIG_HOME to a directory you can write (kick then uses $XDG_CONFIG_HOME/kick)',
  )
}

/** Why the nearest existing directory above `dir` cannot be written into, if it cannot. */
function nearestParentFailure(dir: string): NodeJS.ErrnoException | undefined {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    try {
      accessSync(parent, constants.W_OK)
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error as NodeJS.ErrnoException
    }
    if (dirname(parent) === parent) return undefined
  }
}

/** Group and others' write bits. */
const OTHERS_WRITE = 0o022

/** Each directory whose mode was tightened, so the warning is said once. */
const tightened = new Set<string>()

/**
 * A kick directory that holds secrets or settings (the config dir, its `credentials` and `locks`) must not
 * be writable by anyone but the user, as ssh requires of ~/.ssh: another user could plant a token, an
 * `api-url` that collects tokens, or a link. Owned by the user, it is made 0700 again (what kick creates)
 * with a warning; owned by someone else, kick refuses it. Missing is fine. Not on Windows, where
 * the profile's ACL guards it.
 */
export function checkPrivateDir(dir: string, warn: (message: string) => void = writeWarning): void {
  const uid = process.getuid?.()
  if (uid === undefined || process.platform === 'win32') return
  let info: Stats
  try {
    info = statSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw configDirError(error, dir)
  }
  const othersWrite = (info.mode & OTHERS_WRITE) !== 0
  const foreign = info.uid !== uid && info.uid !== 0
  if (!othersWrite && !foreign) return
  if (!foreign) {
    try {
      chmodSync(dir, 0o700)
    } catch (error) {
      throw configDirError(error, dir)
    }
    if (!tightened.has(dir)) {
      tightened.add(dir)
      warn(`${dir} was writable by other users: kick made it private (chmod 700), as ssh requires of ~/.ssh`)
    }
    return
  }
  throw new KickError(
    `refusing to use ${dir}: it is ${othersWrite ? 'writable by other users' : `owned by another user (uid ${info.uid})`}, ` +
      'who could plant tokens or settings there: fix its owner and mode (chmod 700), or set XDG_CONFIG_HOME ' +
      'to a directory only you can write',
  )
}
