import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, useFixtureKick } from '../../helpers/fixture-kick.js'

describe('kick moderation ban and timeout', () => {
  const { fixture, kick } = useFixtureKick()

  it('bans with a reason and says what was done (Kick answers {})', async () => {
    fixture().stub('POST', '/public/v1/moderation/bans', ok({}))
    const result = await kick(['moderation', 'ban', '123456', '--broadcaster-id', '668', '--reason', 'spam'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ broadcaster_user_id: 668, user_id: 123456, reason: 'spam' })
    expect(JSON.parse(result.stdout)).toEqual({ banned: 123456, broadcaster_user_id: 668, reason: 'spam' })
  })

  it("bans in the profile's configured broadcaster-id when no --broadcaster-id is given", async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'kick-moderation-'))
    mkdirSync(join(configHome, 'kick'))
    writeFileSync(
      join(configHome, 'kick', 'config.json'),
      JSON.stringify({ profiles: { bot: { 'broadcaster-id': '777' } } }),
      { mode: 0o600 },
    )
    fixture().stub('POST', '/public/v1/moderation/bans', ok({}))
    const result = await kick(['moderation', 'ban', '42', '--profile', 'bot'], {
      XDG_CONFIG_HOME: configHome,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ broadcaster_user_id: 777, user_id: 42 })
  })

  it('times out with duration in minutes', async () => {
    fixture().stub('POST', '/public/v1/moderation/bans', ok({}))
    const result = await kick([
      'moderation',
      'timeout',
      '123456',
      '--duration',
      '10080',
      '--broadcaster-id',
      '668',
    ])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({
      broadcaster_user_id: 668,
      user_id: 123456,
      duration: 10080,
    })
    expect(JSON.parse(result.stdout)).toEqual({
      timed_out: 123456,
      broadcaster_user_id: 668,
      duration: 10080,
    })
  })

  it.each([
    [['ban', 'bob', '--broadcaster-id', '1'], /bob/],
    [
      ['ban', '5', '--broadcaster-id', '1', '--reason', 'r'.repeat(101)],
      /--reason is 101 characters long; Kick takes at most 100/,
    ],
    [
      ['timeout', '5', '--broadcaster-id', '1'],
      /^Error: Missing required flag --duration: see `kick moderation timeout --help`\n$/,
    ],
    [
      ['timeout', '5', '--broadcaster-id', '1', '--duration', '0'],
      /--duration is in minutes, from 1 to 10080 \(7 days\); got 0/,
    ],
    [
      ['timeout', '5', '--broadcaster-id', '1', '--duration', '10081'],
      /--duration is in minutes, from 1 to 10080 \(7 days\); got 10081/,
    ],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['moderation', ...args]), fixture(), message)
  })
})

describe('kick moderation unban', () => {
  const { fixture, kick } = useFixtureKick()

  it('sends DELETE with a JSON body, as Kick wants', async () => {
    fixture().stub('DELETE', '/public/v1/moderation/bans', ok({}))
    const result = await kick(['moderation', 'unban', '123456', '--broadcaster-id', '668'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const [request] = fixture().requests
    expect(request!.method).toBe('DELETE')
    expect([...request!.query]).toEqual([])
    expect(request!.headers['content-type']).toMatch(/^application\/json/)
    expect(request!.json).toEqual({ broadcaster_user_id: 668, user_id: 123456 })
    expect(JSON.parse(result.stdout)).toEqual({ unbanned: 123456, broadcaster_user_id: 668 })
  })
})
