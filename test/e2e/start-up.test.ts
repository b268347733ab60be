import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ROOT, runKick } from '../helpers/run-kick.js'

/** What bin/run.js leaves in a cache dir: one folder for this build, with a V8 code cache per command. */
function codeCaches(cacheHome: string): { build: string; files: string[] } {
  const dir = join(cacheHome, 'kick')
  const builds = existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('code-cache-')) : []
  expect(builds.length).toBeLessThanOrEqual(1)
  const build = builds[0] ? join(dir, builds[0]) : ''
  return { build, files: build ? readdirSync(build).sort() : [] }
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

  it('keeps the 24 command caches written last, and removes the caches of other builds', async () => {
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
    const otherBuild = join(cache, 'kick', 'code-cache-v0.0.0-x64-1-1')
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

  it('loads the packages left out of the bundle (debug here) from where npm installed them for oclif', async () => {
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
