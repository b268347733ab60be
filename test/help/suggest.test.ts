import { describe, expect, it } from 'vitest'

import { closestCommand, explainUnknown } from '../../src/help/suggest.js'

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

describe('explainUnknown', () => {
  const surface = {
    commandIDs: ['users:get', 'chat:send', 'chat:delete', 'public-key', 'webhook:listen', 'listen'],
    topics: [{ name: 'users' }, { name: 'chat' }, { name: 'webhook' }],
  }
  const explain = (typed: string) => explainUnknown(typed.split(' '), surface, 'kick')

  it('takes the words after a typo as its arguments', () => {
    expect(explain('chat sned hi there')).toBe('unknown command "chat sned": did you mean `kick chat send`?')
    expect(explain('chta send hi')).toBe('unknown command "chta send": did you mean `kick chat send`?')
    expect(explain('usrs')).toBe('unknown command "usrs": did you mean `kick users`?')
  })

  it('calls a word after a command that takes no arguments an unexpected argument', () => {
    expect(explain('public-key extra')).toBe(
      'unexpected argument "extra": `kick public-key` takes none (see `kick public-key --help`)',
    )
    expect(explain('users get 5 6')).toBe(
      'unexpected argument "5": `kick users get` takes none (see `kick users get --help`)',
    )
  })

  it('with no near command, names the unknown word and the help of the topic typed so far', () => {
    expect(explain('chat frobnicate now')).toBe('unknown command "chat frobnicate": see `kick chat --help`')
    expect(explain('frobnicate')).toBe('unknown command "frobnicate": see `kick --help`')
  })
})
