/**
 * The update check, run by src/update/notice.ts in a detached child (dist/update-check.cjs) that nobody
 * waits for: `node update-check.cjs REGISTRY STATE_FILE` (scripts/bundle.js builds it). It asks the registry for kick-cli's abbreviated
 * metadata and writes `dist-tags.latest` to the state file; whatever fails (no network, a registry that is
 * down or answers nonsense) leaves the version there as it was, and only the file's time says that the
 * registry was asked, so the next try is a day later.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

import { writeFileAtomic } from '../config/files.js'
import { httpRequest } from '../kick/http.js'
import { parseVersion } from './notice.js'

const TIMEOUT_MS = 15_000
/** kick-cli's abbreviated metadata is a few kB a version; a registry answering more is not answering this */
const MAX_BYTES = 8 * 1024 * 1024

export async function checkLatest(registry: string, state: string): Promise<string | undefined> {
  claim(state)
  const url = new URL('kick-cli', registry.endsWith('/') ? registry : `${registry}/`)
  const response = await httpRequest(url, {
    headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
  })
  if (response.status !== 200) return undefined
  const latest = (JSON.parse(response.text) as { 'dist-tags'?: { latest?: unknown } })['dist-tags']?.latest
  if (typeof latest !== 'string' || !parseVersion(latest)) return undefined
  await writeFileAtomic(state, `${latest}\n`)
  return latest
}

/**
 * Marks the check as done today before asking, so the runs meanwhile start no check of their own: the
 * file's time moves, its version stays (an empty file the first time, which no run reads as a version).
 */
function claim(state: string): void {
  mkdirSync(dirname(state), { recursive: true })
  const now = new Date()
  try {
    utimesSync(state, now, now)
  } catch {
    writeFileSync(state, '', { flag: 'a' })
  }
}
