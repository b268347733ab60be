import { describe, expect, it } from 'vitest'

import { closestCommand } from '../../src/hooks/command-not-found.js'

const known = ['users get', 'chat send', 'chat delete', 'listen', 'rewards list', 'redemptions list']

describe('closestCommand', () => {
  it('finds the command a typo meant', () => {
    expect(closestCommand('chat sned', known)).toBe('chat send')
    expect(closestCommand('lisen', known)).toBe('listen')
    expect(closestCommand('reward list', known)).toBe('rewards list')
  })

  it('suggests nothing for a word far from every command', () => {
    expect(closestCommand('frobnicate', known)).toBeUndefined()
    expect(closestCommand('x', known)).toBeUndefined()
  })
})
