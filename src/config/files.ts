import { randomBytes } from 'node:crypto'
import { constants, type Stats } from 'node:fs'
import { type FileHandle, link, lstat, mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { configDir } from './paths.js'
import { checkPrivateDir, configDirError } from './private-dir.js'

/**
 * How kick writes its files (config.json, the token fallback files, the development key, `--save`
 * deliveries, the public-key cache) in directories another process of the user, or another user, may also
 * write: every temp file is new (O_CREAT|O_EXCL, never through a link planted at its name) under a name
 * nobody can guess, written whole and synced, then renamed over the real name (which replaces a link there
 * instead of writing through it). Only what kick created is ever removed.
 */

// O_EXCL with O_CREAT already refuses any existing name, a symbolic link included; O_NOFOLLOW says so twice.
const CREATE_NEW = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0)

/** `.config.json.<random>.tmp` beside `file`: hidden, and never matching a glob for the real names. */
function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(12).toString('base64url')}.tmp`)
}

export interface WriteOptions {
  /** the file's mode (default 0600: only the user reads it) */
  mode?: number
}

/** A new temp file beside `file`, holding `data`, synced; its handle is closed. */
async function writeTemp(file: string, data: string | Buffer, mode: number): Promise<TempFile> {
  const path = tempNameFor(file)
  const handle = await open(path, CREATE_NEW, mode)
  const temp = new TempFile(path, await handle.stat())
  try {
    await writeAll(handle, data)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await temp.remove()
    throw error
  }
  await handle.close()
  return temp
}

async function writeAll(handle: FileHandle, data: string | Buffer): Promise<void> {
  await handle.writeFile(data)
  await handle.datasync()
}

/** A temp file kick created: removed only while the name still is that file (same device and inode). */
class TempFile {
  constructor(
    readonly path: string,
    private readonly created: Stats,
  ) {}

  async remove(): Promise<void> {
    try {
      const now = await lstat(this.path)
      if (now.dev === this.created.dev && now.ino === this.created.ino) await unlink(this.path)
    } catch {
      // already gone
    }
  }
}

/**
 * Writes `file` whole or not at all: readers see the old content or the new, never half; a link planted at
 * the temp name or at `file` is never written through.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  options: WriteOptions = {},
): Promise<void> {
  const temp = await writeTemp(file, data, options.mode ?? 0o600)
  try {
    await rename(temp.path, file)
  } catch (error) {
    await temp.remove()
    throw error
  }
}

/**
 * Creates `file` with `data` unless it exists: true when this call created it. Two processes racing on
 * first use both end with the one file that won, whole (a link, not a write in place).
 */
export async function createFileOnce(
  file: string,
  data: string | Buffer,
  options: WriteOptions = {},
): Promise<boolean> {
  const temp = await writeTemp(file, data, options.mode ?? 0o600)
  try {
    await link(temp.path, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await temp.remove()
  }
}

/**
 * Proves `dir` writable (what permission bits cannot tell root, a read-only filesystem) by creating a file of
 * its own there, under a name nobody can guess, and removing it: nothing already in `dir` is touched.
 */
export async function probeWritable(dir: string): Promise<void> {
  const temp = await writeTemp(join(dir, '.kick-write-test'), '', 0o600)
  await temp.remove()
}

/**
 * Creates `dir` (0700) when missing and checks it as {@link checkPrivateDir} does; a failure to create it is
 * one line naming it (see {@link configDirError}).
 */
export async function ensurePrivateDir(dir: string, warn?: (message: string) => void): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw configDirError(error, dir)
  }
  checkPrivateDir(dir, warn)
}

/** The config dir, created and checked; for files written into it. */
export async function ensureConfigDir(warn?: (message: string) => void): Promise<string> {
  const dir = configDir()
  await ensurePrivateDir(dir, warn)
  return dir
}
