import { mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

import { KickError } from '../errors.js'

export interface LockOptions {
  /** how long to wait for another process to finish */
  waitMs?: number
  /** a lock older than this is left over from a crashed process and is taken over */
  staleMs?: number
  /** called once when the wait passes a second, so a person at a terminal hears why nothing happens */
  onWait?: () => void
}

const SAY_WAITING_AFTER_MS = 1_000

/**
 * Runs `work` holding an exclusive lock file (created with O_EXCL, so exactly one process wins), so two
 * `kick` processes never refresh the same token pair at once. A lock whose holder died, or that is older
 * than `staleMs`, is broken; waiting longer than `waitMs` is an error rather than a hang.
 */
export async function withLock<T>(
  file: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? 15_000
  const staleMs = options.staleMs ?? 30_000
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const started = Date.now()
  const deadline = started + waitMs
  let said = false
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      const handle = await open(file, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (await isStale(file, staleMs)) {
      await rm(file, { force: true })
      continue
    }
    if (Date.now() > deadline)
      throw new KickError(
        `another kick process holds ${file}: wait for it, or delete the file if none is running`,
      )
    if (!said && options.onWait && Date.now() - started >= SAY_WAITING_AFTER_MS) {
      said = true
      options.onWait()
    }
    await new Promise((resolve) => setTimeout(resolve, delay))
  }
  try {
    return await work()
  } finally {
    await rm(file, { force: true })
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(file), readFile(file, 'utf8')])
    if (Date.now() - info.mtimeMs > staleMs) return true
    const pid = Number(text.trim())
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
