import { describe, expect, it } from 'vitest'

import { UsageError } from '../../src/errors.js'
import {
  checkBackgroundColour,
  checkBanReason,
  checkChannelSlugs,
  checkChatMessage,
  checkLength,
  checkRewardCost,
  checkRewardDescription,
  checkRewardTitle,
  checkTags,
  checkTimeoutMinutes,
  checkUlid,
  checkUniqueUlids,
  checkUuid,
  codePointLength,
} from '../../src/kick/limits.js'

/** The UsageError a check throws, so a test can assert its exact one-line message and exit code. */
function failure(check: () => unknown): UsageError {
  try {
    check()
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error('the check passed')
}

describe('Kick input limits', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('👋🏽')).toBe(2)
    expect(codePointLength('é')).toBe(1)
    expect(checkChatMessage('😀'.repeat(500))).toBe('😀'.repeat(500))
    expect(failure(() => checkChatMessage('😀'.repeat(501))).message).toBe(
      'the message is 501 characters long; Kick takes at most 500',
    )
  })

  it('every failure is a one-line usage error (exit 2)', () => {
    const error = failure(() => checkLength('--x', '', 5))
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe('--x must not be empty')
    expect(checkLength('--x', '', 5, { allowEmpty: true })).toBe('')
  })

  it('slugs: 1 to 25 characters each', () => {
    expect(checkChannelSlugs(['xqc', 'a'.repeat(25)])).toEqual(['xqc', 'a'.repeat(25)])
    expect(failure(() => checkChannelSlugs(['xqc', 'b'.repeat(26)])).message).toBe(
      `--slug "${'b'.repeat(26)}" is 26 characters long; Kick takes at most 25`,
    )
  })

  it('rewards: title 1..50, description up to 200, cost at least 1, colour #rrggbb', () => {
    expect(checkRewardTitle('t'.repeat(50))).toHaveLength(50)
    expect(failure(() => checkRewardTitle('t'.repeat(51))).message).toBe(
      '--title is 51 characters long; Kick takes at most 50',
    )
    expect(checkRewardDescription('')).toBe('')
    expect(failure(() => checkRewardDescription('d'.repeat(201))).message).toBe(
      '--description is 201 characters long; Kick takes at most 200',
    )
    expect(checkRewardCost(1)).toBe(1)
    expect(failure(() => checkRewardCost(0)).message).toBe('--cost must be at least 1 (got 0)')
    expect(checkBackgroundColour('#00E701')).toBe('#00E701')
    for (const bad of ['00e701', '#0e7', '#00e70g', '#00e7011']) {
      expect(failure(() => checkBackgroundColour(bad)).message).toBe(
        `--background-color must be a hex colour like #00e701 (got "${bad}")`,
      )
    }
  })

  it('tags must not be empty', () => {
    expect(checkTags(['a', 'b c'])).toEqual(['a', 'b c'])
    expect(failure(() => checkTags(['a', ''])).message).toBe('--tag must not be empty')
  })

  it('moderation: reason up to 100, timeout 1..10080 minutes', () => {
    expect(checkBanReason('r'.repeat(100))).toHaveLength(100)
    expect(failure(() => checkBanReason('r'.repeat(101))).message).toBe(
      '--reason is 101 characters long; Kick takes at most 100',
    )
    expect(checkTimeoutMinutes(1)).toBe(1)
    expect(checkTimeoutMinutes(10_080)).toBe(10_080)
    expect(failure(() => checkTimeoutMinutes(10_081)).message).toBe(
      '--duration is in minutes, from 1 to 10080 (7 days); got 10081',
    )
    expect(() => checkTimeoutMinutes(0)).toThrow(UsageError)
  })

  it('ULIDs: 26 Crockford base32 characters, first at most 7, either case', () => {
    expect(checkUlid('id', '01KBHE78QE4HZY1617DK5FC7YD')).toBe('01KBHE78QE4HZY1617DK5FC7YD')
    expect(checkUlid('id', '7zzzzzzzzzzzzzzzzzzzzzzzzz')).toBe('7zzzzzzzzzzzzzzzzzzzzzzzzz')
    const bad = [
      '01KBHE78QE4HZY1617DK5FC7Y', // 25
      '01KBHE78QE4HZY1617DK5FC7YDX', // 27
      '01KBHE78QE4HZY1617DK5FC7YI', // I is not Crockford
      '01KBHE78QE4HZY1617DK5FC7YL',
      '01KBHE78QE4HZY1617DK5FC7YO',
      '01KBHE78QE4HZY1617DK5FC7YU',
      '81KBHE78QE4HZY1617DK5FC7YD', // beyond 48 bits of time
      '01HZ8X9K2M4N6P8Q0R2S4T6V8W0Y2Z4', // the spec's own 31-character example
    ]
    for (const id of bad) {
      expect(failure(() => checkUlid('reward id', id)).message).toBe(
        `reward id "${id}" is not a Kick id (26 characters, like 01KBHE78QE4HZY1617DK5FC7YD)`,
      )
    }
  })

  it('a list of ULIDs must not repeat one, whatever the case', () => {
    const [a, b] = ['01KEWZ2RKYZZFGD154K50Y3F8D', '01KEWZ2YC27070XWMHKFJR6C87']
    expect(checkUniqueUlids('id', [a, b])).toEqual([a, b])
    expect(failure(() => checkUniqueUlids('id', [a, b, a.toLowerCase()])).message).toBe(
      `id ${a.toLowerCase()} is given twice`,
    )
  })

  it('chat message ids are UUIDs', () => {
    expect(checkUuid('id', '5138d04d-68f8-4eca-aa65-93123f6f97fe')).toBe(
      '5138d04d-68f8-4eca-aa65-93123f6f97fe',
    )
    expect(failure(() => checkUuid('id', '5138d04d68f84ecaaa6593123f6f97fe')).message).toBe(
      'id "5138d04d68f84ecaaa6593123f6f97fe" is not a chat message id (a UUID like 5138d04d-68f8-4eca-aa65-93123f6f97fe)',
    )
  })
})
