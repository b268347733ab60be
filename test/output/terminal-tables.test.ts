import { spawnSync } from 'node:child_process'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'

import { ok } from '../helpers/fixture-server.js'
import { useFixtureKick } from '../helpers/fixture-kick.js'

/**
 * The same commands run by a person at a terminal: stdin, stdout and stderr on a pseudo-terminal (util-linux
 * `script`), so output is text and destructive verbs ask first. The transcript mixes stdout and stderr.
 * Skipped where util-linux `script` is missing (node-pty would need a native build).
 */
const hasScript = spawnSync('script', ['--version']).status === 0

describe.skipIf(!hasScript)('in a terminal', () => {
  const { fixture, kickInTerminal } = useFixtureKick()

  const REWARD_ID = '01KBHE78QE4HZY1617DK5FC7YD'

  it('rewards list prints a table', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards',
      ok([
        {
          id: REWARD_ID,
          title: 'Hydrate',
          description: '',
          cost: 500,
          background_color: '#00e701',
          is_enabled: true,
          is_paused: false,
          is_user_input_required: true,
          should_redemptions_skip_request_queue: false,
        },
      ]),
    )
    const result = await kickInTerminal(['rewards', 'list'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        '┌────────────────────────────┬─────────┬──────┬─────────┬────────┬───────┬─────────────┐',
        '│ ID                         │ TITLE   │ COST │ ENABLED │ PAUSED │ INPUT │ SKIPS QUEUE │',
        '├────────────────────────────┼─────────┼──────┼─────────┼────────┼───────┼─────────────┤',
        '│ 01KBHE78QE4HZY1617DK5FC7YD │ Hydrate │ 500  │ yes     │ no     │ yes   │ no          │',
        '└────────────────────────────┴─────────┴──────┴─────────┴────────┴───────┴─────────────┘',
        '',
      ].join('\n'),
    )
  })

  it('measures CJK and emoji in display columns: whole at 120, borders intact at 70', async () => {
    const reward = (id: string, title: string) => ({
      id,
      title,
      description: '',
      cost: 100,
      background_color: '#00e701',
      is_enabled: true,
      is_paused: false,
      is_user_input_required: false,
      should_redemptions_skip_request_queue: false,
    })
    const rewards = [reward(REWARD_ID, '🎵 歌のリクエスト'), reward('01M870VQS19RXBH23GWDBQKG4N', 'Hydrate')]
    fixture().stub('GET', '/public/v1/channels/rewards', ok(rewards))
    fixture().stub('GET', '/public/v1/channels/rewards', ok(rewards))
    const wide = await kickInTerminal(['rewards', 'list'], '', 120)
    expect(wide.code).toBe(0)
    expect(wide.stdout).toContain(`│ ${REWARD_ID} │ 🎵 歌のリクエスト │ 100  │`)

    const narrow = await kickInTerminal(['rewards', 'list'], '', 70)
    expect(narrow.code).toBe(0)
    const lines = narrow.stdout.trimEnd().split('\n')
    const table = lines.filter((line) => /^[┌│├└]/.test(line))
    expect(table).toHaveLength(6)
    const { displayWidth } = await import('../../src/output/width.js')
    for (const line of table) expect(displayWidth(line)).toBeLessThanOrEqual(70)
    expect(new Set(table.map(displayWidth)).size).toBe(1)
    expect(table[3]).toContain(`│ ${REWARD_ID} │ 🎵 歌のリ…  │ 100  │`)
    expect(lines.at(-1)).toBe(
      'INPUT, SKIPS QUEUE left out to fit the terminal: widen it, or add --json for everything',
    )
  })

  it('channels get shows the channels found, then the error naming the missing slug', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels',
      ok([
        {
          broadcaster_user_id: 668,
          slug: 'xqc',
          channel_description: '',
          banner_picture: '',
          stream_title: 'juicers',
          category: { id: 15, name: 'Just Chatting', thumbnail: '' },
          stream: { is_live: true, viewer_count: 51234 },
        },
      ]),
    )
    const result = await kickInTerminal(['channels', 'get', '--slug', 'xqc', '--slug', 'nosuch'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      [
        '┌─────┬──────┬─────────┬───────────────┬──────┬─────────┐',
        '│ ID  │ SLUG │ TITLE   │ CATEGORY      │ LIVE │ VIEWERS │',
        '├─────┼──────┼─────────┼───────────────┼──────┼─────────┤',
        '│ 668 │ xqc  │ juicers │ Just Chatting │ yes  │ 51234   │',
        '└─────┴──────┴─────────┴───────────────┴──────┴─────────┘',
        'Error: no channel found for slug nosuch: check the spelling (Kick answers unknown channels with nothing)',
        '',
      ].join('\n'),
    )
  })

  it('redemptions list shows one row per redemption with its reward', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards/redemptions',
      ok([
        {
          reward: {
            id: REWARD_ID,
            title: 'Hydrate',
            description: '',
            cost: 5,
            can_manage: true,
            is_deleted: false,
          },
          redemptions: [
            {
              id: '01KEWZ2RKYZZFGD154K50Y3F8D',
              redeemed_at: '2025-12-19T06:26:36Z',
              redeemer: { user_id: 123 },
              status: 'pending',
              user_input: '',
            },
            {
              id: '01KEWZ2YC27070XWMHKFJR6C87',
              redeemed_at: '2025-12-19T06:30:00Z',
              redeemer: { user_id: 456 },
              status: 'pending',
              user_input: 'now',
            },
          ],
        },
      ]),
    )
    const result = await kickInTerminal(['redemptions', 'list'])
    expect(result.code).toBe(0)
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('│'))
    expect(rows).toEqual([
      '│ ID                         │ REWARD  │ STATUS  │ USER ID │ INPUT │ REDEEMED AT          │',
      '│ 01KEWZ2RKYZZFGD154K50Y3F8D │ Hydrate │ pending │ 123     │ -     │ 2025-12-19T06:26:36Z │',
      '│ 01KEWZ2YC27070XWMHKFJR6C87 │ Hydrate │ pending │ 456     │ now   │ 2025-12-19T06:30:00Z │',
    ])
  })

  it('rewards delete asks first, naming the reward; answering no changes nothing and exits 1', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards',
      ok([{ id: REWARD_ID, title: '🎵 歌のリクエスト\u001B[31m', cost: 100 }]),
    )
    const result = await kickInTerminal(['rewards', 'delete', REWARD_ID], 'n\r')
    const transcript = stripVTControlCharacters(result.stdout)
    expect(transcript).toContain(`Delete reward "🎵 歌のリクエスト\\e[31m" (${REWARD_ID})? No`)
    expect(transcript.trimEnd().split('\n').at(-1)).toBe('Error: cancelled: nothing was changed')
    expect(result.code).toBe(1)
    expect(fixture().requests.map((request) => request.method)).toEqual(['GET'])
  })

  it('rewards delete names the id alone when the look-up fails, and goes ahead on yes', async () => {
    fixture().stub('GET', '/public/v1/channels/rewards', { status: 403, json: { message: 'Forbidden' } })
    fixture().stub('DELETE', `/public/v1/channels/rewards/${REWARD_ID}`, { status: 204 })
    const result = await kickInTerminal(['rewards', 'delete', REWARD_ID], 'y\r')
    const transcript = stripVTControlCharacters(result.stdout)
    expect(transcript).toContain(`Delete reward ${REWARD_ID}? Yes`)
    expect(transcript.trimEnd().split('\n').at(-1)).toBe(`Deleted reward ${REWARD_ID}`)
    expect(result.code).toBe(0)
  })

  it('moderation unban asks naming the user and the channel; declining is the same line and exit 1', async () => {
    fixture().stub('GET', '/public/v1/users', ok([{ user_id: 42, name: 'spammer42' }]))
    fixture().stub('GET', '/public/v1/channels', ok([{ broadcaster_user_id: 668, slug: 'xqc' }]))
    const result = await kickInTerminal(['moderation', 'unban', '42', '--broadcaster-id', '668'], 'n\r')
    const transcript = stripVTControlCharacters(result.stdout)
    expect(transcript).toContain('Unban spammer42 (user 42) in channel xqc (668)? No')
    expect(transcript.trimEnd().split('\n').at(-1)).toBe('Error: cancelled: nothing was changed')
    expect(result.code).toBe(1)
    expect(
      fixture()
        .requests.map((request) => `${request.path}?${request.query}`)
        .sort(),
    ).toEqual(['/public/v1/channels?broadcaster_user_id=668', '/public/v1/users?id=42'])
  })

  it('redemptions reject asks naming each reward and redeemer; declining is the same line and exit 1', async () => {
    const ids = ['01KEWZ2RKYZZFGD154K50Y3F8D', '01KEWZ2YC27070XWMHKFJR6C87']
    fixture().stub(
      'GET',
      '/public/v1/channels/rewards/redemptions',
      ok([
        {
          reward: { id: REWARD_ID, title: 'Hydrate', cost: 5 },
          redemptions: [
            { id: ids[0], redeemer: { user_id: 123 }, status: 'pending' },
            { id: ids[1], redeemer: { user_id: 456 }, status: 'pending' },
          ],
        },
      ]),
    )
    const result = await kickInTerminal(['redemptions', 'reject', ...ids], 'n\r')
    const transcript = stripVTControlCharacters(result.stdout)
    expect(transcript).toContain('Reject 2 redemptions ("Hydrate" by user 123, "Hydrate" by user 456)? No')
    expect(transcript.trimEnd().split('\n').at(-1)).toBe('Error: cancelled: nothing was changed')
    expect(result.code).toBe(1)
    expect(fixture().requests.map((request) => request.method)).toEqual(['GET'])
  })

  it('--yes skips the question', async () => {
    fixture().stub('DELETE', '/public/v1/moderation/bans', ok({}))
    const result = await kickInTerminal(['moderation', 'unban', '42', '--broadcaster-id', '668', '--yes'])
    expect(result.stdout).toBe('Unbanned user 42 in channel 668\n')
    expect(result.code).toBe(0)
  })

  it('--json still prints JSON', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards/redemptions/accept', ok([]))
    const result = await kickInTerminal(['redemptions', 'accept', '01KEWZ2RKYZZFGD154K50Y3F8D', '--json'])
    expect(JSON.parse(result.stdout)).toEqual([])
    expect(result.code).toBe(0)
  })
})
