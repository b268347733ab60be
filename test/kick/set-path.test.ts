import { describe, expect, it } from 'vitest'

import { hasPath, setPath, unsafePathError } from '../../src/kick/events.js'

describe('setPath', () => {
  it('sets a dotted path, creating the objects on the way', () => {
    const payload: Record<string, unknown> = { gift: { amount: 100, name: 'Rage Quit' } }
    setPath(payload, 'gift.amount', 500)
    setPath(payload, 'sender.username', 'pixelqueen')
    expect(payload).toEqual({ gift: { amount: 500, name: 'Rage Quit' }, sender: { username: 'pixelqueen' } })
  })

  it('refuses to go through a scalar unless asked to replace it', () => {
    const payload: Record<string, unknown> = { gift: { amount: 100 } }
    expect(() => setPath(payload, 'gift.amount.x', 1)).toThrow('amount is 100, not an object')
    expect(payload).toEqual({ gift: { amount: 100 } })
    setPath(payload, 'gift.amount.x', 1, { replaceScalars: true })
    expect(payload).toEqual({ gift: { amount: { x: 1 } } })
  })
})

describe('setPath and prototype keys', () => {
  const hostile = [
    '__proto__.polluted',
    '__proto__',
    'constructor.prototype.polluted',
    'gift.constructor.prototype.polluted',
    'gift.__proto__.headers',
    'prototype',
  ]

  it.each(hostile)('refuses %s, for the CLI and for the mock, and pollutes nothing', (path) => {
    for (const options of [{}, { replaceScalars: true }]) {
      const payload: Record<string, unknown> = { gift: { amount: 100 } }
      expect(() => setPath(payload, path, { 'bad header': 'x' }, options)).toThrow(/may not appear in a path/)
      expect(payload).toEqual({ gift: { amount: 100 } })
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).headers).toBeUndefined()
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })

  it('names the key in its error', () => {
    expect(unsafePathError('a.__proto__.b')).toBe('__proto__ may not appear in a path')
    expect(unsafePathError('constructor')).toBe('constructor may not appear in a path')
    expect(unsafePathError('gift.amount')).toBeNull()
    // a key that merely contains the word is an ordinary key
    expect(unsafePathError('my_prototype.constructor_id')).toBeNull()
  })

  it('walks only own properties: an inherited method in the way becomes a field of the payload', () => {
    const payload: Record<string, unknown> = {}
    setPath(payload, 'toString.x', 1)
    setPath(payload, 'hasOwnProperty', 2)
    expect(payload).toEqual({ toString: { x: 1 }, hasOwnProperty: 2 })
    expect(Object.prototype.toString).toBeTypeOf('function')
    expect(Object.hasOwn(Object.prototype, 'x')).toBe(false)
  })

  it('hasPath sees own paths only', () => {
    const payload = { gift: { amount: 100, nothing: null }, list: [{ a: 1 }] }
    expect(hasPath(payload, 'gift.amount')).toBe(true)
    expect(hasPath(payload, 'gift.nothing')).toBe(true)
    expect(hasPath(payload, 'list.0.a')).toBe(true)
    expect(hasPath(payload, 'gift.amout')).toBe(false)
    expect(hasPath(payload, 'gift.amount.x')).toBe(false)
    expect(hasPath(payload, 'toString')).toBe(false)
    expect(hasPath(payload, 'gift.constructor')).toBe(false)
  })
})
