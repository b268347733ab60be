import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, useFixtureKick } from '../../helpers/fixture-kick.js'

const REWARD_ID = '01KBHE78QE4HZY1617DK5FC7YD'
const reward = {
  id: REWARD_ID,
  title: 'Hydrate',
  description: 'Drink some water',
  cost: 500,
  background_color: '#00e701',
  is_enabled: true,
  is_paused: false,
  is_user_input_required: false,
  should_redemptions_skip_request_queue: false,
}

describe('kick rewards list', () => {
  const { fixture, kick } = useFixtureKick()

  it('prints the rewards as JSON', async () => {
    fixture().stub('GET', '/public/v1/channels/rewards', ok([reward]))
    const result = await kick(['rewards', 'list'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([reward])
    expect([...fixture().requests[0]!.query]).toEqual([])
  })
})

describe('kick rewards create', () => {
  const { fixture, kick } = useFixtureKick()

  it('POSTs only the fields given, with Kick names, and prints the created reward', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards', ok(reward))
    const result = await kick(['rewards', 'create', '--title', 'Hydrate', '--cost', '500'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ title: 'Hydrate', cost: 500 })
    expect(JSON.parse(result.stdout)).toEqual(reward)
  })

  it('maps every flag to its field, --no-enabled to is_enabled false', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards', ok(reward))
    const result = await kick([
      'rewards',
      'create',
      '--title',
      'Song request',
      '--cost',
      '1000',
      '--description',
      'Paste a link',
      '--background-color',
      '#FF00aa',
      '--no-enabled',
      '--user-input-required',
      '--skip-queue',
    ])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({
      title: 'Song request',
      cost: 1000,
      description: 'Paste a link',
      background_color: '#FF00aa',
      is_enabled: false,
      is_user_input_required: true,
      should_redemptions_skip_request_queue: true,
    })
  })

  it('counts the title in characters, not UTF-16 units: 50 emoji fit', async () => {
    fixture().stub('POST', '/public/v1/channels/rewards', ok(reward))
    const result = await kick(['rewards', 'create', '--title', '💧'.repeat(50), '--cost', '1'])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({ title: '💧'.repeat(50), cost: 1 })
  })

  it.each([
    [['--cost', '5'], 'Error: Missing required flag --title: see `kick rewards create --help`'],
    [
      ['--title', 'x'.repeat(51), '--cost', '5'],
      'Error: --title is 51 characters long; Kick takes at most 50',
    ],
    [['--title', 'x', '--cost', '0'], 'Error: --cost must be at least 1 (got 0)'],
    [
      ['--title', 'x', '--cost', '5', '--description', 'd'.repeat(201)],
      'Error: --description is 201 characters long; Kick takes at most 200',
    ],
    [
      ['--title', 'x', '--cost', '5', '--background-color', 'green'],
      'Error: --background-color must be a hex colour like #00e701 (got "green")',
    ],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['rewards', 'create', ...args]), fixture(), message)
  })
})

describe('kick rewards update', () => {
  const { fixture, kick } = useFixtureKick()

  it('PATCHes the reward by id with just the changes', async () => {
    const updated = { ...reward, cost: 250, is_paused: true }
    fixture().stub('PATCH', `/public/v1/channels/rewards/${REWARD_ID}`, ok(updated))
    const result = await kick(['rewards', 'update', REWARD_ID, '--cost', '250', '--paused'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.method).toBe('PATCH')
    expect(fixture().requests[0]!.json).toEqual({ cost: 250, is_paused: true })
    expect(JSON.parse(result.stdout)).toEqual(updated)
  })

  it('--no-paused and --no-skip-queue send false', async () => {
    fixture().stub('PATCH', `/public/v1/channels/rewards/${REWARD_ID}`, ok(reward))
    const result = await kick(['rewards', 'update', REWARD_ID, '--no-paused', '--no-skip-queue'])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({
      is_paused: false,
      should_redemptions_skip_request_queue: false,
    })
  })

  it("passes on Kick's refusal for a reward another app created", async () => {
    fixture().stub('PATCH', `/public/v1/channels/rewards/${REWARD_ID}`, {
      status: 400,
      json: { data: {}, message: 'reward not owned by app' },
    })
    const result = await kick(['rewards', 'update', REWARD_ID, '--title', 'New'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual(['Error: Kick answered 400 Bad Request: reward not owned by app'])
  })

  it.each([
    [[REWARD_ID], 'Error: nothing to change: pass at least one of the reward flags (see --help)'],
    [
      ['not-a-ulid', '--cost', '5'],
      'Error: reward id "not-a-ulid" is not a Kick id (26 characters, like 01KBHE78QE4HZY1617DK5FC7YD)',
    ],
    [[REWARD_ID, '--cost', '-3'], 'Error: --cost must be at least 1 (got -3)'],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['rewards', 'update', ...args]), fixture(), message)
  })
})

describe('kick rewards delete', () => {
  const { fixture, kick } = useFixtureKick()

  it('DELETEs without asking when not in a terminal, and confirms with the id', async () => {
    fixture().stub('DELETE', `/public/v1/channels/rewards/${REWARD_ID}`, { status: 204 })
    const result = await kick(['rewards', 'delete', REWARD_ID])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.body).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({ deleted: REWARD_ID })
  })

  it('rejects an id that is not a ULID with exit 2 before any request', async () => {
    expectRejectedBeforeAnyRequest(
      await kick(['rewards', 'delete', '01KBHE78QE4HZY1617DK5FC7YU']),
      fixture(),
      'Error: reward id "01KBHE78QE4HZY1617DK5FC7YU" is not a Kick id (26 characters, like 01KBHE78QE4HZY1617DK5FC7YD)',
    )
  })
})
