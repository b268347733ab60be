import { existsSync } from 'node:fs'
import { stripVTControlCharacters } from 'node:util'

import { describe, expect, it } from 'vitest'

import { ok } from '../helpers/fixture-server.js'
import { runKick } from '../helpers/run-kick.js'
import { TOKEN, useFixtureKick } from '../helpers/fixture-kick.js'

/** What a person at a terminal sees: tables, one-line notes, the confirmation before unsubscribe --all. */
describe.skipIf(!existsSync('/usr/bin/script'))('summaries, prompts and colour in a terminal', () => {
  const { fixture, kickInTerminal: inTerminal } = useFixtureKick()

  it('livestreams list prints a table', async () => {
    fixture().stub(
      'GET',
      '/public/v2/livestreams',
      ok([
        {
          id: 'L1',
          title: 'late night',
          viewer_count: 812,
          started_at: '2026-06-23T10:00:00Z',
          language_code: 'en',
          category: { id: 15, name: 'Just Chatting', thumbnail: '' },
          channel: { slug: 'xqc' },
        },
      ]),
    )
    const result = await inTerminal(['livestreams', 'list'])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n').filter((line) => line.startsWith('│'))).toEqual([
      '│ CHANNEL │ TITLE      │ CATEGORY      │ VIEWERS │ LANGUAGE │ STARTED              │',
      '│ xqc     │ late night │ Just Chatting │ 812     │ en       │ 2026-06-23T10:00:00Z │',
    ])
  })

  it('kicks leaderboard shows every period in one table', async () => {
    const entry = (rank: number, username: string) => ({
      rank,
      user_id: rank * 10,
      username,
      gifted_amount: 100 / rank,
    })
    fixture().stub(
      'GET',
      '/public/v1/kicks/leaderboard',
      ok({ lifetime: [entry(1, 'ann')], month: [], week: [entry(2, 'bo')] }),
    )
    const result = await inTerminal(['kicks', 'leaderboard'])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n').filter((line) => line.startsWith('│'))).toEqual([
      '│ PERIOD   │ RANK │ USER │ USER ID │ KICKS │',
      '│ week     │ 2    │ bo   │ 20      │ 50    │',
      '│ lifetime │ 1    │ ann  │ 10      │ 100   │',
    ])
  })

  it('livestreams stats prints one summary line', async () => {
    fixture().stub('GET', '/public/v1/livestreams/stats', ok({ total_count: 12345 }))
    const result = await inTerminal(['livestreams', 'stats'])
    expect(result.stdout).toBe('live: 12345\n')
    expect(result.code).toBe(0)
  })

  it('events unsubscribe --all asks first; answering no deletes nothing and exits 1', async () => {
    fixture().stub(
      'GET',
      '/public/v1/events/subscriptions',
      ok([{ id: 'A', event: 'kicks.gifted', version: 1 }]),
    )
    const result = await inTerminal(['events', 'unsubscribe', '--all'], 'n\r')
    const transcript = stripVTControlCharacters(result.stdout)
    expect(transcript).toContain('Delete the 1 webhook subscription (kicks.gifted)? No')
    expect(transcript.trimEnd().split('\n').at(-1)).toBe('Error: cancelled: nothing was changed')
    expect(result.code).toBe(1)
    expect(fixture().requests.map((request) => request.method)).toEqual(['GET'])
  })

  it('events unsubscribe --all --yes deletes without asking and prints one line', async () => {
    fixture().stub('GET', '/public/v1/events/subscriptions', ok([{ id: 'A' }, { id: 'B' }]))
    fixture().stub('DELETE', '/public/v1/events/subscriptions', { status: 204 })
    const result = await inTerminal(['events', 'unsubscribe', '--all', '--yes'])
    expect(result.stdout).toBe('Deleted 2 subscriptions\n')
    expect(result.code).toBe(0)
    expect(fixture().requests[1]!.query.getAll('id')).toEqual(['A', 'B'])
  })

  it('kick api pretty-prints JSON for a person', async () => {
    fixture().stub('GET', '/public/v1/users', { body: '{"data":[{"user_id":1}],"message":"OK"}' })
    const result = await inTerminal(['api', 'users'])
    expect(result.stdout).toBe(
      '{\n  "data": [\n    {\n      "user_id": 1\n    }\n  ],\n  "message": "OK"\n}\n',
    )
    expect(result.code).toBe(0)
  })

  it('colour in a terminal, none with NO_COLOR', async () => {
    const answer = ok([{ id: 1, name: 'x', thumbnail: '' }])
    fixture().stub('GET', '/public/v1/categories', answer, answer)
    const env = { KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: fixture().url }
    const coloured = await runKick(['categories', 'search', 'x'], {
      env: { ...env, NO_COLOR: undefined },
      terminal: true,
    })
    const plain = await runKick(['categories', 'search', 'x'], {
      env: { ...env, NO_COLOR: '1' },
      terminal: true,
    })
    expect(coloured.stdout).toContain('\u001B[33mWarning:\u001B[0m')
    expect(plain.stdout).toContain('Warning: GET /public/v1/categories')
    expect(plain.stdout).not.toContain('\u001B[')
  })
})
