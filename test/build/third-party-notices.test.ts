import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ROOT } from '../helpers/run-kick.js'

/** The package an input file belongs to: the nearest package.json above it that names a package. */
function owningPackage(file: string): { dir: string; name: string; version: string; license?: string } {
  for (let dir = dirname(join(ROOT, file)); dir.startsWith(ROOT); dir = dirname(dir)) {
    const path = join(dir, 'package.json')
    if (!existsSync(path)) continue
    const pjson = JSON.parse(readFileSync(path, 'utf8')) as {
      name?: string
      version: string
      license?: string
    }
    if (pjson.name) return { dir, name: pjson.name, version: pjson.version, license: pjson.license }
  }
  throw new Error(`no package above ${file}`)
}

describe('THIRD_PARTY_NOTICES, written by the build', () => {
  const notices = readFileSync(join(ROOT, 'THIRD_PARTY_NOTICES'), 'utf8')
  // what esbuild put into the built files (scripts/bundle.js keeps their metafiles in dist/)
  const { inputs } = JSON.parse(readFileSync(join(ROOT, 'dist', 'metafile.json'), 'utf8')) as {
    inputs: Record<string, unknown>
  }
  const bundled = new Map<string, ReturnType<typeof owningPackage>>()
  for (const input of Object.keys(inputs)) {
    if (!input.includes('node_modules/') || /^[\w-]+:/.test(input)) continue
    const owner = owningPackage(input)
    bundled.set(`${owner.name} ${owner.version}`, owner)
  }

  it('has something to list: oclif and what it brings are bundled', () => {
    expect([...bundled.keys()]).toContain(
      `@oclif/core ${(JSON.parse(readFileSync(join(ROOT, 'node_modules/@oclif/core/package.json'), 'utf8')) as { version: string }).version}`,
    )
    expect(bundled.size).toBeGreaterThan(10)
  })

  it("lists each bundled package, name and version, with its licence file's text", () => {
    for (const [key, { dir, license }] of bundled) {
      expect(notices, key).toContain(`\n  ${key}\n`)
      expect(notices, key).toContain(`\n${key} (${license})\n`)
      const licence = readdirSync(dir).find((name) => /^(licen[cs]e|copying)/i.test(name))
      expect(licence, `${key} has a licence file`).toBeDefined()
      const text = readFileSync(join(dir, licence!), 'utf8').replace(/\r\n/g, '\n').trim()
      expect(notices, key).toContain(text)
    }
  })

  it('lists nothing else but cli-spinners, whose frames the stand-in copies', () => {
    const listed = [...notices.matchAll(/^ {2}(\S+ \S+)$/gm)].map(([, key]) => key!)
    expect(listed.filter((key) => !bundled.has(key)).map((key) => key.split(' ')[0])).toEqual([
      'cli-spinners',
    ])
  })
})
