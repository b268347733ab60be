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
