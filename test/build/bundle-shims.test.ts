import { createRequire } from 'node:module'
import { release } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ROOT } from '../helpers/run-kick.js'

// The shims in scripts/bundle-shims/ stand in for packages inside the bundle, to start faster: each must give
// the package's own answers.
const require = createRequire(join(ROOT, 'scripts', 'bundle-shims', 'x.cjs'))

describe('the ascii-width shim, in front of string-width where oclif imports it', () => {
  const asciiFirst = require('./ascii-width.cjs') as (
    load: () => (text: unknown) => number,
  ) => (text: unknown) => number
  // the version oclif resolves (its own v4), which the shim stands in front of in the bundle
  const real = createRequire(require.resolve('@oclif/core/package.json'))('string-width') as (
    text: unknown,
  ) => number
  let loads = 0
  const shim = asciiFirst(() => {
    loads++
    return real
  })

  it('measures as the package does, ASCII or not, and loads the package only for what is not ASCII', () => {
    const ascii = ['', 'kick users get --json', ' '.repeat(40), '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./']
    for (const text of ascii) expect(shim(text), JSON.stringify(text)).toBe(real(text))
    expect(loads).toBe(0)
    const other = [
      '\u001b[1mbold\u001b[22m',
      'tab\there',
      'line\nbreak',
      '\u007f\u0085',
      'caf\u00e9',
      '\u65e5\u672c\u8a9e',
      'emoji \u{1f600} \u{1f44d}\u{1f3fd}',
      'e\u0301',
      '\uff21\uff22',
    ]
    for (const text of other) expect(shim(text), JSON.stringify(text)).toBe(real(text))
    expect(loads).toBe(1)
  })

  it('answers 0 for what is not a string, as the package does', () => {
    for (const value of [undefined, null, 42]) expect(shim(value)).toBe(real(value))
  })
})

describe('the wsl-utils shim', () => {
  it('agrees with is-wsl on this machine (the shim reads the kernel release name, is-wsl /proc too)', async () => {
    const shim = require('./wsl-utils.cjs') as { isWsl: boolean }
    const isWsl = (await import('is-wsl')).default
    expect(shim.isWsl).toBe(isWsl)
    expect(shim.isWsl).toBe(/microsoft/i.test(release()))
  })
})

// the version of a package that oclif resolves, which the bundle's stand-in replaces
const fromOclif = createRequire(require.resolve('@oclif/core/package.json'))

describe('the cli-spinners stand-in', () => {
  it("holds the frames of the spinners oclif's ux.action uses by default, as the package has them", () => {
    const real = fromOclif('cli-spinners') as Record<string, { interval: number; frames: string[] }>
    const standIn = require('./cli-spinners.cjs') as Record<string, unknown>
    expect(Object.keys(standIn).sort()).toEqual(['dots2', 'line'])
    expect(standIn.dots2).toEqual(real.dots2)
    expect(standIn.line).toEqual(real.line)
  })
})

describe('the ejs stand-in', () => {
  const standIn = require('./ejs.cjs') as {
    render: (template: string, data?: object) => string
    unsupportedTags: (text: string) => string[]
  }
  const real = fromOclif('ejs') as { render: (template: string, data?: object) => string }

  it('renders <%= path %> tags as ejs does, HTML-escaping the value', () => {
    const data = { config: { bin: 'kick', name: `a<b>&"c'` }, n: 0 }
    for (const template of [
      'no tags at all',
      '$ <%= config.bin %> users get',
      '<%=config.bin%> and <%=  config.name  %>',
      'missing: <%= config.nothing %>; zero: <%= n %>',
    ])
      expect(standIn.render(template, data), template).toBe(real.render(template, data))
  })

  it('names the tags it does not render, which the build refuses in help texts', () => {
    expect(standIn.unsupportedTags('$ <%= config.bin %> users get')).toEqual([])
    expect(standIn.unsupportedTags('<%- raw %> <% if (x) { %>y<% } %> <%= a + b %>')).toEqual([
      '<%- raw %>',
      '<% if (x) { %>',
      '<% } %>',
      '<%= a + b %>',
    ])
  })
})

describe('the plugin-discovery stand-ins (minimatch, tinyglobby, lilconfig)', () => {
  it('fail with a message naming the package instead of looking for it', () => {
    const standIn = require('./plugin-discovery.cjs') as Record<string, () => unknown>
    for (const [name, pkg] of [
      ['minimatch', 'minimatch'],
      ['glob', 'tinyglobby'],
      ['lilconfig', 'lilconfig'],
    ] as const)
      expect(() => standIn[name]!(), name).toThrow(`kick-cli does not bundle ${pkg}`)
  })
})

describe("the stand-in for oclif's ts-path", () => {
  it("answers what oclif's own answers in production, for kick's targets", async () => {
    const standIn = require('./ts-path.cjs') as { tsPath: (root: string, orig?: string) => Promise<unknown> }
    const real = fromOclif('./lib/config/ts-path.js') as typeof standIn
    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      for (const target of ['./dist/kick.cjs', join(ROOT, 'dist', 'kick.cjs'), undefined])
        expect(await standIn.tsPath(ROOT, target), String(target)).toEqual(await real.tsPath(ROOT, target))
    } finally {
      process.env.NODE_ENV = previous
    }
  })
})
