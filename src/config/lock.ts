import { open, readFile, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'

import { KickError } from '../errors.js'
import { ensurePrivateDir } from './files.js'

export interface LockOptions {
  /** how long to wait for another process to finish */
  waitMs?: number
  /** a lock older than this is left over from a crashed process and is taken over */
  staleMs?: number
  /** called once when the wait passes a second, so a person at a terminal hears why nothing happens */
  onWait?: () => void
}

const SAY_WAITING_AFTER_MS = 1_000
/** Breaking a stale lock takes milliseconds: a breaker's own lock older than this was left by a crash. */
const BREAKER_STALE_MS = 5_000

/**
 * Runs `work` holding an exclusive lock file (created with O_EXCL, so exactly one process wins): two `kick`
 * processes never refresh the same token pair, or rewrite config.json, at once. A lock whose holder died
 * (its pid is gone), or that is older than `staleMs`, is broken; waiting longer than `waitMs` is an error
 * rather than a hang.
 */
export async function withLock<T>(
  file: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? 15_000
  const staleMs = options.staleMs ?? 30_000
  await ensurePrivateDir(dirname(file))
  const started = Date.now()
  const deadline = started + waitMs
  let said = false
  let held: LockFile | undefined
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    held = await tryCreate(file)
    if (held) break
    if (await breakIfStale(file, staleMs)) continue
    if (Date.now() > deadline)
      throw new KickError(
        `another kick process holds ${file}: wait for it, or delete the file if none is running`,
      )
    if (!said && options.onWait && Date.now() - started >= SAY_WAITING_AFTER_MS) {
      said = true
      options.onWait()
    }
    // jittered, so a crowd of waiters does not retry in step
    await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay))
  }
  try {
    return await work()
  } finally {
    await held.release()
  }
}

/** A lock file this process created: released only while it is still that file. */
interface LockFile {
  release(): Promise<void>
}

/** Creates the lock file holding this pid; undefined when another process holds it. */
async function tryCreate(file: string): Promise<LockFile | undefined> {
  let handle
  try {
    handle = await open(file, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw error
  }
  const { ino, dev } = await handle.stat()
  try {
    await handle.writeFile(`${process.pid}\n`)
  } finally {
    await handle.close()
  }
  return {
    release: async () => {
      // a lock broken as stale (this process took longer than staleMs) may be another's by now
      const now = await stat(file).catch(() => undefined)
      if (now?.ino === ino && now.dev === dev) await unlink(file).catch(() => undefined)
    },
  }
}

/**
 * Removes `file` when its holder is gone, and says whether it did. Breaking happens under a second lock
 * (`<file>.break`) and the staleness is checked again under it: two waiters that both saw the dead holder's
 * lock cannot both break it, the second removing the lock the first then took.
 */
async function breakIfStale(file: string, staleMs: number): Promise<boolean> {
  if (!(await isStale(file, staleMs))) return false
  const breaker = await tryCreate(`${file}.break`)
  if (!breaker) {
    await removeStaleBreaker(`${file}.break`)
    return false
  }
  try {
    if (!(await isStale(file, staleMs))) return false
    await unlink(file).catch(() => undefined)
    return true
  } finally {
    await breaker.release()
  }
}

async function removeStaleBreaker(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined)
  if (info && Date.now() - info.mtimeMs > BREAKER_STALE_MS) await unlink(file).catch(() => undefined)
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')])
    if (Date.now() - info.mtimeMs > staleMs) return true
    const pid = Number(text.trim())
    // created but its pid not written yet: the holder is mid-way, unless that was long ago
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 1_000
    try {
      process.kill(pid, 0)
      return false
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH'
    }
  } catch {
    // gone between the failed open and now: not stale, just free
    return false
  }
}
