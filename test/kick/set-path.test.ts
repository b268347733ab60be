import { describe, expect, it } from 'vitest'

import { setPath } from '../../src/kick/events.js'

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
