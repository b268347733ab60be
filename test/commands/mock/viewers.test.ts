import { createServer } from 'node:http'

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { runKick } from '../../helpers/run-kick.js'
import { MockProcess, webhookReceiver } from '../../mock/mock-process.js'

/** `kick mock chat|redeem|trigger` against `kick mock start`, both spawned as a user runs them. */

const json = (stdout: string): any => JSON.parse(stdout) // eslint-disable-line @typescript-eslint/no-explicit-any
const lines = (text: string): string[] => text.trim().split('\n').filter(Boolean)

describe('the viewer commands against a running mock', () => {
  let mock: MockProcess
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>
  let env: Record<string, string>
  const kick = (...args: string[]) => runKick(args, { env })
  const deliveries = (type: string) =>
    receiver.received
      .filter((delivery) => delivery.headers['kick-event-type'] === type)
      .map((delivery) => JSON.parse(delivery.body))

  beforeAll(async () => {
    receiver = await webhookReceiver()
    mock = await MockProcess.start(['--webhook-url', receiver.url])
    env = { KICK_API_URL: mock.url, KICK_AUTH_URL: mock.url, KICK_ACCESS_TOKEN: await mock.token() }
    const subscribed = await kick(
      'events',
      'subscribe',
      'chat.message.sent',
      'channel.reward.redemption.updated',
    )
    expect(subscribed.code).toBe(0)
  })
  afterAll(async () => {
    await mock.stop()
    await receiver.close()
  })
  beforeEach(() => {
    receiver.received.length = 0
  })

  it('create → redeem → accept: the viewer’s redemption is pending, delivered, then accepted', async () => {
    const created = await kick(
      'rewards',
      'create',
      '--title',
      'Pick a song',
      '--cost',
      '50',
      '--user-input-required',
    )
    expect(created.code).toBe(0)
    const rewardId = json(created.stdout).id as string

    const redeemed = await kick('mock', 'redeem', rewardId, '--user', 'song_fan', '--input', 'lofi beats')
    expect(redeemed.stderr).toBe('')
    expect(redeemed.code).toBe(0)
    const redemption = json(redeemed.stdout)
    expect(redemption).toMatchObject({
      status: 'pending',
      user_input: 'lofi beats',
      redeemer: { username: 'song_fan' },
      reward: { id: rewardId, title: 'Pick a song' },
    })

    const listed = await kick('redemptions', 'list', '--reward-id', rewardId, '--status', 'pending')
    expect(listed.code).toBe(0)
    expect(JSON.stringify(json(listed.stdout))).toContain(redemption.id)
    await expect.poll(() => deliveries('channel.reward.redemption.updated').length).toBe(1)
    expect(deliveries('channel.reward.redemption.updated')[0]).toMatchObject({
      id: redemption.id,
      status: 'pending',
      user_input: 'lofi beats',
    })

    const accepted = await kick('redemptions', 'accept', redemption.id)
    expect(accepted.code).toBe(0)
    await expect.poll(() => deliveries('channel.reward.redemption.updated').length).toBe(2)
    expect(deliveries('channel.reward.redemption.updated')[1]).toMatchObject({
      id: redemption.id,
      status: 'accepted',
    })
    const after = await kick('redemptions', 'list', '--reward-id', rewardId, '--status', 'accepted')
    expect(JSON.stringify(json(after.stdout))).toContain(redemption.id)
  })

  it('a person at a terminal reads one line saying what happened', async () => {
    const rewards = json((await kick('rewards', 'list')).stdout) as { id: string; title: string }[]
    const hydrate = rewards.find((reward) => reward.title === 'Hydrate!')!
    const result = await runKick(['mock', 'redeem', hydrate.id], { env, terminal: true })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^chatter_one redeemed "Hydrate!": redemption [0-9A-HJKMNP-TV-Z]{26} pending\n$/,
    )
  })

  it('chat: the viewer’s message reaches the bot, and the bot’s reply comes back as its own', async () => {
    const said = await kick('mock', 'chat', '!hello', '--user', 'chatter_two')
    expect(said.code).toBe(0)
    const message = json(said.stdout)
    expect(message).toMatchObject({ content: '!hello', sender: { username: 'chatter_two' }, deliveries: 1 })
    const reply = await kick(
      'chat',
      'send',
      'hi chatter_two',
      '--type',
      'bot',
      '--reply-to',
      message.message_id,
    )
    expect(reply.code).toBe(0)
    await expect.poll(() => deliveries('chat.message.sent').length).toBe(2)
    const [viewer, bot] = deliveries('chat.message.sent')
    expect(viewer).toMatchObject({ message_id: message.message_id, sender: { username: 'chatter_two' } })
    // the loop guard's key: the bot's own message carries the bot's user as sender
    expect(bot).toMatchObject({ sender: { user_id: 100001 }, replies_to: { message_id: message.message_id } })
  })

  it('trigger: any event, with --set, delivered signed to the webhook URL', async () => {
    const result = await kick(
      'mock',
      'trigger',
      'kicks.gifted',
      '--set',
      'gift.amount=500',
      '--set',
      'sender.username=bob',
    )
    expect(result.code).toBe(0)
    expect(json(result.stdout)).toEqual({ event: 'kicks.gifted', queued: true })
    await expect.poll(() => deliveries('kicks.gifted').length).toBe(1)
    expect(deliveries('kicks.gifted')[0]).toMatchObject({
      gift: { amount: 500 },
      sender: { username: 'bob' },
    })
    expect(receiver.received[0]!.headers['kick-event-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/)
  })

  it('a timeout refuses the viewer’s chat until it ends by itself (the mock’s clock moved on)', async () => {
    const timedOut = await kick(
      'moderation',
      'timeout',
      '100005',
      '--duration',
      '5',
      '--broadcaster-id',
      '100001',
    )
    expect(timedOut.code).toBe(0)
    const refused = await kick('mock', 'chat', 'am I muted?', '--user', 'chatter_three')
    expect(refused.code).toBe(1)
    expect(lines(refused.stderr)).toEqual([
      'Error: the mock answered 400: the sender is banned in this channel',
    ])
    await fetch(`${mock.url}/mock/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance_seconds: 301 }),
    })
    expect((await kick('mock', 'chat', 'back again', '--user', 'chatter_three')).code).toBe(0)
  })

  it('moderation on a channel the user neither owns nor moderates is refused with Kick’s 403', async () => {
    const result = await kick('moderation', 'ban', '100003', '--broadcaster-id', '200001')
    // exit 1 or 4 while the client's advice for 403s is being reworked (issue 11); never 0
    expect([1, 4]).toContain(result.code)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain('403')
    expect(result.stderr).toContain('neither the broadcaster nor a moderator')
    const unknown = await kick('moderation', 'ban', '987654', '--broadcaster-id', '100001')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('400')
  })

  it('says what failed: unknown reward, a bad name, an unknown event, a bad --set, a huge message', async () => {
    const unknown = await kick('mock', 'redeem', '01KBHE78QE4HZY1617DK5FC7YD')
    expect(unknown.code).toBe(1)
    expect(lines(unknown.stderr)).toEqual(['Error: the mock answered 404: Not Found: reward'])
    const badName = await kick('mock', 'chat', 'hi', '--user', 'no spaces\u001b[31m')
    expect(badName.code).toBe(1)
    expect(badName.stderr).toContain('user must be 1 to 25 letters, digits or underscores')
    expect(badName.stderr).not.toContain('\u001b')
    const event = await kick('mock', 'trigger', 'nope.event')
    expect(event.code).toBe(2)
    expect(event.stderr).toContain('unknown event nope.event')
    const set = await kick('mock', 'trigger', 'kicks.gifted', '--set', 'nothing')
    expect(set.code).toBe(2)
    const huge = await kick('mock', 'chat', 'x'.repeat(501))
    expect(huge.code).toBe(1)
    expect(huge.stderr).toContain('at most 500 characters')
  })

  it('tells a person when nothing was subscribed, so nothing was delivered', async () => {
    const result = await kick('mock', 'chat', 'hello', '--broadcaster-id', '200002')
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'no webhook delivery: nothing subscribes to chat.message.sent for channel 200002',
    )
  })
})

describe('finding the running mock through KICK_API_URL', () => {
  it('unset: exit 2 saying how to start one', async () => {
    for (const command of [
      ['mock', 'chat', 'hi'],
      ['mock', 'redeem', 'x'],
      ['mock', 'trigger', 'channel.followed'],
    ]) {
      const result = await runKick(command, { env: { KICK_API_URL: undefined } })
      expect(result.code).toBe(2)
      expect(lines(result.stderr)).toEqual([
        'Error: KICK_API_URL is not set: start a mock with `kick mock start > mock.env &`, then `. ./mock.env`',
      ])
    }
  })

  it('malformed: exit 2 naming it', async () => {
    const result = await runKick(['mock', 'chat', 'hi'], { env: { KICK_API_URL: 'ftp://x' } })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('KICK_API_URL must be the mock')
  })

  it('nothing answers: exit 1, one line', async () => {
    const result = await runKick(['mock', 'chat', 'hi'], { env: { KICK_API_URL: 'http://127.0.0.1:9' } })
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'Error: no mock answers at http://127.0.0.1:9 (KICK_API_URL): ECONNREFUSED; is `kick mock start` running?',
    ])
  })

  it('something else answers (Kick itself, say): exit 1, and nothing is taken for a mock’s answer', async () => {
    const server = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"data":{"queued":true},"message":"OK"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      const result = await runKick(['mock', 'trigger', 'channel.followed'], { env: { KICK_API_URL: url } })
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(lines(result.stderr)).toEqual([
        `Error: ${url} (KICK_API_URL) is not a kick mock: it answered 200 to POST /mock/trigger/channel.followed`,
      ])
    } finally {
      server.close()
    }
  })
})
