import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

import { spawnChild } from '../config/child-env.js'

/**
 * The update notice, as gh has it and at no cost: bin/run.js calls this once the command is done. At most
 * once a day (the state file's age says when the registry was last asked) it starts dist/update-check.cjs,
 * detached, to ask the registry for kick-cli's latest version and write it to the state file; a later run
 * reads that and says, in one line on stderr, that a newer version is out. In the process the user waits
 * for, that is a stat and a read of a few bytes; the child is not waited for and outlives nothing.
 *
 * Never where a person is not reading (stderr not a terminal), in CI, under --json or --jq (output for a
 * program), or with KICK_NO_UPDATE_NOTIFIER set.
 */
export interface NoticeContext {
  argv: readonly string[]
  /** this kick's version */
  version: string
  /** the package root: dist/update-check.cjs is there */
  root: string
  cacheDir: string
  env?: NodeJS.ProcessEnv
  stderr?: NodeJS.WriteStream
}

/** How old the state file may be before the registry is asked again (KICK_UPDATE_CHECK_INTERVAL_MS: tests). */
const DAY_MS = 24 * 60 * 60 * 1000

export const STATE_FILE = 'update-check'

export function updateNotice(context: NoticeContext): void {
  const env = context.env ?? process.env
  const stderr = context.stderr ?? process.stderr
  if (!stderr.isTTY || env.CI || env.KICK_NO_UPDATE_NOTIFIER || forScripts(context.argv)) return
  const state = join(context.cacheDir, STATE_FILE)
  const checked = statSync(state, { throwIfNoEntry: false })
  if (checked) {
    const latest = readFileSync(state, 'latin1').trim()
    if (isNewer(latest, context.version))
      stderr.write(
        `A new version of kick is available: ${context.version} → ${latest}. ` +
          'Update with: npm install -g kick-cli@latest\n',
      )
  }
  const interval = Number(env.KICK_UPDATE_CHECK_INTERVAL_MS ?? DAY_MS)
  if (checked && Date.now() - checked.mtimeMs < interval) return
  startCheck(context.root, state, env)
}

/** `--json` or `--jq` before any `--`: the output is for a program. */
function forScripts(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).some(
    (word) => word === '--json' || word === '--jq' || word.startsWith('--jq='),
  )
}

function startCheck(root: string, state: string, env: NodeJS.ProcessEnv): void {
  const registry = env.npm_config_registry || 'https://registry.npmjs.org/'
  try {
    // as every program kick starts, without kick's secrets (a registry check has no use for a token), and
    // child_process is loaded only by the run that starts a check (once a day)
    const child = spawnChild(process.execPath, [join(root, 'dist', 'update-check.cjs'), registry, state], {
      detached: true,
      stdio: 'ignore',
      env,
      windowsHide: true,
    })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // no check today; the command itself went fine
  }
}

/** `1.2.10` > `1.2.9`; a release is newer than its prerelease; anything unparsable is not newer. */
export function isNewer(candidate: string, current: string): boolean {
  const a = parseVersion(candidate)
  const b = parseVersion(current)
  if (!a || !b) return false
  for (let index = 0; index < 3; index++)
    if (a.core[index] !== b.core[index]) return a.core[index]! > b.core[index]!
  if (a.pre === b.pre) return false
  if (!a.pre) return true
  if (!b.pre) return false
  return a.pre.localeCompare(b.pre, 'en', { numeric: true }) > 0
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

export function parseVersion(text: string): { core: number[]; pre?: string } | undefined {
  const match = VERSION.exec(text)
  if (!match) return undefined
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] }
}
