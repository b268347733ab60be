import { createRequire } from 'node:module'
import { release } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ROOT } from '../helpers/run-kick.js'

// The shims in scripts/bundle-shims/ stand in for packages inside the bundle, to start faster: each must give
// the package's own answers.
const require = createRequire(join(ROOT, 'scripts', 'bundle-shims', 'x.cjs'))

describe('the string-width shim', () => {
  const shim = require('./string-width.cjs') as (text: unknown) => number
  const real = require('string-width') as (text: unknown) => number

  it('measures as the package does, ASCII or not', () => {
    const texts = [
      '',
      'kick users get --json',
      ' '.repeat(40),
      '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./',
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
    for (const text of texts) expect(shim(text), JSON.stringify(text)).toBe(real(text))
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
