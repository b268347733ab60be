import { spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { BIN, ROOT, runKick } from '../helpers/run-kick.js'

/** the folders of code caches in a cache dir, by name */
function cacheFolders(cacheHome: string): string[] {
  const dir = join(cacheHome, 'kick')
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('code-cache-')) : []
}

/**
 * What bin/run.js leaves in a cache dir for the Node running these tests: one folder for this build, with a
 * V8 code cache per command.
 */
function codeCaches(cacheHome: string, version = process.version): { build: string; files: string[] } {
  const builds = cacheFolders(cacheHome).filter((name) => name.startsWith(`code-cache-${version}-`))
  expect(builds.length).toBeLessThanOrEqual(1)
  const build = builds[0] ? join(cacheHome, 'kick', builds[0]) : ''
  return { build, files: build ? readdirSync(build).sort() : [] }
}

/** Another Node on this machine (CI's other lines, or /work/nodes here), to switch to as nvm does; or none. */
function otherNode(): { dir: string; version: string } | undefined {
  const dirs = [
    ...(process.env.KICK_CI_NODE_DIRS ?? '').split(delimiter),
    ...['20', '22', '24', '26'].map((line) => join('/work', 'nodes', line, 'bin')),
  ]
  for (const dir of dirs.filter(Boolean)) {
    const probe = spawnSync(join(dir, 'node'), ['-p', 'process.version'], { encoding: 'utf8' })
    const version = probe.status === 0 ? probe.stdout.trim() : ''
    if (version && version !== process.version) return { dir, version }
  }
  return undefined
}

describe('bin/run.js start-up', () => {
  it('keeps a V8 code cache per command in the cache dir, never one per argument', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const env = { XDG_CACHE_HOME: cache }
    expect((await runKick(['--help'], { env })).code).toBe(0)
    expect(codeCaches(cache).files).toEqual(['root.bin'])
    await runKick(['users', 'get', '--help'], { env })
    await runKick(['users'], { env })
    await runKick(['api', '/public/v1/users', '--help'], { env })
    await runKick(['api', '/public/v1/categories', '--help'], { env })
    await runKick(['nosuchcommand'], { env })
    expect(codeCaches(cache).files).toEqual(['api.help.bin', 'root.bin', 'users.bin', 'users.get.help.bin'])
  })

  it("keeps a failed run's cache only until the command's first run that works", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const env = { XDG_CACHE_HOME: cache }
    // an unknown key: the command fails (exit 2), and leaves a cache marked so
    const failed = await runKick(['config', 'set', 'no-such-key', 'x'], { env })
    expect(failed.code).not.toBe(0)
    expect(codeCaches(cache).files).toEqual(['config.set.failed.bin'])
    const failedCache = readFileSync(join(codeCaches(cache).build, 'config.set.failed.bin'))
    // a second failure keeps it as it is
    await runKick(['config', 'set', 'no-such-key', 'y'], { env })
    expect(readFileSync(join(codeCaches(cache).build, 'config.set.failed.bin')).equals(failedCache)).toBe(
      true,
    )
    const worked = await runKick(['config', 'set', 'api-url', 'http://127.0.0.1:1'], { env })
    expect(worked.code).toBe(0)
    expect(codeCaches(cache).files).toEqual(['config.set.bin'])
  })

  it('keeps the 24 command caches written last, and removes the caches of its other builds', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const env = { XDG_CACHE_HOME: cache }
    await runKick(['--help'], { env })
    const { build } = codeCaches(cache)
    const old = Date.now() / 1000 - 3600
    for (let index = 0; index < 30; index++) {
      const file = join(build, `old-${String(index).padStart(2, '0')}.bin`)
      writeFileSync(file, 'x')
      // the lower the number, the longer ago it was written
      utimesSync(file, old + index, old + index)
    }
    const otherBuild = join(cache, 'kick', `code-cache-${process.version}-${process.arch}-1-1`)
    mkdirSync(otherBuild)
    writeFileSync(join(otherBuild, 'root.bin'), 'x')
    await runKick(['users', 'get', '--help'], { env })
    const { files } = codeCaches(cache)
    expect(files).toHaveLength(24)
    expect(files).toContain('users.get.help.bin')
    expect(files).toContain('root.bin')
    expect(files).toContain('old-29.bin')
    expect(files).not.toContain('old-07.bin')
    expect(existsSync(otherBuild)).toBe(false)
  })

  const other = otherNode()
  it.runIf(other)(
    "keeps each Node's caches when the user switches Node, and sweeps only the same Node's old builds",
    async () => {
      const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
      const env = { XDG_CACHE_HOME: cache }
      const onOther = { ...env, PATH: `${other!.dir}${delimiter}${process.env.PATH}` }
      // an old build of each Node, as an upgrade of kick leaves
      for (const version of [process.version, other!.version]) {
        const old = join(cache, 'kick', `code-cache-${version}-${process.arch}-1-1`)
        mkdirSync(old, { recursive: true })
        writeFileSync(join(old, 'root.bin'), 'x')
      }

      expect((await runKick(['--help'], { env })).code).toBe(0)
      const first = codeCaches(cache)
      expect(first.files).toEqual(['root.bin'])
      // this Node's old build is gone; the other Node's caches are not this Node's to judge
      expect(cacheFolders(cache).filter((name) => name.endsWith('-1-1'))).toEqual([
        `code-cache-${other!.version}-${process.arch}-1-1`,
      ])
      const written = readFileSync(join(first.build, 'root.bin'))

      // the bin's shebang (`env node`) takes the other Node from PATH
      const switched = await runKick(['--help'], { bin: BIN, env: onOther })
      expect(switched.code, switched.stderr).toBe(0)
      expect(codeCaches(cache, other!.version).files).toEqual(['root.bin'])
      // its own old build swept, this Node's cache kept as it was
      expect(cacheFolders(cache).filter((name) => name.endsWith('-1-1'))).toEqual([])
      expect(readFileSync(join(first.build, 'root.bin')).equals(written)).toBe(true)

      // back on this Node: its cache is used as it is (a rejected one would be written again)
      const back = await runKick(['--help'], { env })
      expect(back.code).toBe(0)
      expect(codeCaches(cache).files).toEqual(['root.bin'])
      expect(readFileSync(join(first.build, 'root.bin')).equals(written)).toBe(true)
      expect(codeCaches(cache, other!.version).files).toEqual(['root.bin'])
    },
    60_000,
  )

  it('bounds the caches of all Nodes together at 48, the least recently written out first', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const old = Date.now() / 1000 - 3600
    // three other Nodes, 20 caches each, written an hour ago (Node 1.0.0's first, 3.0.0's last)
    for (const [index, version] of ['v1.0.0', 'v2.0.0', 'v3.0.0'].entries()) {
      const folder = join(cache, 'kick', `code-cache-${version}-${process.arch}-1-1`)
      mkdirSync(folder, { recursive: true })
      for (let command = 0; command < 20; command++) {
        const file = join(folder, `command-${String(command).padStart(2, '0')}.bin`)
        writeFileSync(file, 'x')
        utimesSync(file, old + index * 100 + command, old + index * 100 + command)
      }
    }
    expect((await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })).code).toBe(0)
    const count = (version: string) =>
      existsSync(join(cache, 'kick', `code-cache-${version}-${process.arch}-1-1`))
        ? readdirSync(join(cache, 'kick', `code-cache-${version}-${process.arch}-1-1`)).length
        : 0
    expect(codeCaches(cache).files).toEqual(['root.bin'])
    // 1 + 47 of the 60: all of 3.0.0's and 2.0.0's, the 7 newest of 1.0.0's
    expect([count('v3.0.0'), count('v2.0.0'), count('v1.0.0')]).toEqual([20, 20, 7])
    expect(readdirSync(join(cache, 'kick', `code-cache-v1.0.0-${process.arch}-1-1`)).sort()[0]).toBe(
      'command-13.bin',
    )
  })

  it('writes each cache to a file of its own (0600, in a 0700 folder), never through a planted link', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const env = { XDG_CACHE_HOME: cache }
    await runKick(['--help'], { env })
    const { build } = codeCaches(cache)
    expect(statSync(build).mode & 0o777).toBe(0o700)
    expect(statSync(join(build, 'root.bin')).mode & 0o777).toBe(0o600)
    // a link where the next cache goes, to a file of the user's
    const victim = join(cache, 'victim.txt')
    writeFileSync(victim, 'keep me')
    symlinkSync(victim, join(build, 'users.get.help.bin'))
    const result = await runKick(['users', 'get', '--help'], { env })
    expect(result.code).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('keep me')
    expect(lstatSync(join(build, 'users.get.help.bin')).isFile()).toBe(true)
    // and nothing left behind: no temporary file
    expect(codeCaches(cache).files).toEqual(['root.bin', 'users.get.help.bin'])
  })

  it('without XDG_CACHE_HOME, keeps it where src/config/paths.ts puts the cache dir (~/.cache/kick here)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kick-home-'))
    const result = await runKick(['--help'], { env: { HOME: home, XDG_CACHE_HOME: undefined } })
    expect(result.code).toBe(0)
    expect(codeCaches(join(home, '.cache')).files).toEqual(['root.bin'])
  })

  it('runs from a corrupt code cache, and replaces it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })
    const bin = join(codeCaches(cache).build, 'root.bin')
    const good = readFileSync(bin)
    writeFileSync(bin, Buffer.alloc(good.length, 0x5a))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(readFileSync(bin).equals(Buffer.alloc(good.length, 0x5a))).toBe(false)
  })

  it('runs as before where the cache dir cannot be written (a file in its place), saying nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const notADir = join(home, 'cache')
    writeFileSync(notADir, 'not a directory')
    for (let run = 0; run < 2; run++) {
      const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: notADir } })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      expect(result.stdout).toContain('USAGE')
    }
    expect(readFileSync(notADir, 'utf8')).toBe('not a directory')
  })

  it('writes no cache with KICK_NO_CODE_CACHE=1', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache, KICK_NO_CODE_CACHE: '1' } })
    expect(result.code).toBe(0)
    expect(codeCaches(cache).files).toEqual([])
  })

  it("runs through require() and Node's compile cache (on Node >= 22) with KICK_CODE_CACHE=compile", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache, KICK_CODE_CACHE: 'compile' } })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(codeCaches(cache).files).toEqual([])
    expect(existsSync(join(cache, 'kick', 'compile-cache'))).toBe(
      Number(process.versions.node.split('.')[0]) >= 22,
    )
  })

  it("prints oclif's debug lines with DEBUG set (debug is bundled, evaluated only then)", async () => {
    const result = await runKick(['--help'], { env: { DEBUG: 'oclif:main' } })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/oclif:main process\.execPath/)
  })
})

describe('dist/paths.cjs, the copy of src/config/paths.ts that bin/run.js reads', () => {
  it('names the same cache dir as the source, on Linux and on Windows', async () => {
    const source = await import('../../src/config/paths.js')
    const copy = createRequire(import.meta.url)(join(ROOT, 'dist', 'paths.cjs')) as typeof source
    const saved = { ...process.env }
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    try {
      for (const os of ['linux', 'win32']) {
        Object.defineProperty(process, 'platform', { value: os })
        process.env.LOCALAPPDATA = 'C:\\Users\\me\\AppData\\Local'
        delete process.env.XDG_CACHE_HOME
        expect(copy.cacheDir()).toBe(source.cacheDir())
        process.env.XDG_CACHE_HOME = '/somewhere'
        expect(copy.cacheDir()).toBe(source.cacheDir())
      }
      delete process.env.XDG_CACHE_HOME
      expect(source.cacheDir()).toBe(join('C:\\Users\\me\\AppData\\Local', 'kick', 'cache'))
    } finally {
      Object.defineProperty(process, 'platform', platform)
      process.env = saved
    }
  })
})
