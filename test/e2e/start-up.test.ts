import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ROOT, runKick } from '../helpers/run-kick.js'

/** What bin/run.js leaves in a cache dir: the V8 code cache and the list of commands it holds. */
function codeCacheFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'kick')).filter((name) => name.startsWith('code-cache-'))
  } catch {
    return []
  }
}

describe('bin/run.js start-up', () => {
  it('keeps its V8 code cache in the cache dir, growing by each command once', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const help = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })
    expect(help.code).toBe(0)
    const files = codeCacheFiles(cache)
    expect(files.filter((name) => name.endsWith('.bin'))).toHaveLength(1)
    const commands = join(
      cache,
      'kick',
      files.find((name) => name.endsWith('.commands'))!,
    )
    expect(readFileSync(commands, 'utf8').split('\n')).toEqual(['(root)'])
    await runKick(['users', 'get', '--help'], { env: { XDG_CACHE_HOME: cache } })
    expect(readFileSync(commands, 'utf8').split('\n')).toEqual(['(root)', 'users get'])
  })

  it('without XDG_CACHE_HOME, keeps it where src/config/paths.ts puts the cache dir (~/.cache/kick here)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kick-home-'))
    const result = await runKick(['--help'], { env: { HOME: home, XDG_CACHE_HOME: undefined } })
    expect(result.code).toBe(0)
    expect(codeCacheFiles(join(home, '.cache'))).toHaveLength(2)
  })

  it('runs from a corrupt code cache, and replaces it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })
    const bin = join(
      cache,
      'kick',
      codeCacheFiles(cache).find((name) => name.endsWith('.bin'))!,
    )
    const good = readFileSync(bin)
    writeFileSync(bin, Buffer.alloc(good.length, 0x5a))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache } })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(readFileSync(bin).equals(Buffer.alloc(good.length, 0x5a))).toBe(false)
  })

  it('writes no cache with KICK_NO_CODE_CACHE=1', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache, KICK_NO_CODE_CACHE: '1' } })
    expect(result.code).toBe(0)
    expect(codeCacheFiles(cache)).toEqual([])
  })

  it("runs through require() and Node's compile cache (on Node >= 22) with KICK_CODE_CACHE=compile", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kick-cache-'))
    const result = await runKick(['--help'], { env: { XDG_CACHE_HOME: cache, KICK_CODE_CACHE: 'compile' } })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('USAGE')
    expect(codeCacheFiles(cache)).toEqual([])
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
