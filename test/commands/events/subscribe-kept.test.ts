import { describe, expect, it } from 'vitest'

import { runKick } from '../../helpers/run-kick.js'
import { type MockProcess, withMockProcess } from '../../mock/mock-process.js'
import { startKick, stopKick } from '../../webhooks/helpers.js'

/**
 * Kick answers 200 for subscriptions it then does not keep (KDD#419). `kick events subscribe` and `kick listen
 * --subscribe` read the listing back and name each one missing; against the mock's `subscriptions-not-kept`.
 */

const lines = (text: string): string[] => text.trim().split('\n').filter(Boolean)

/** The mock's log lines for one route's answers, e.g. `GET /public/v1/events/subscriptions → 200`. */
const answers = (mock: MockProcess, route: string): string[] =>
  [...mock.stderr.matchAll(new RegExp(`${route} → (\\d+)`, 'g'))].map((match) => match[1]!)

const LISTING = 'GET /public/v1/events/subscriptions'

/** A mock with these faults, and a CLI pointed at it with a user token of the seeded streamer. */
const withMock = (
  faults: string[],
  test: (mock: MockProcess, env: Record<string, string>) => Promise<void>,
): Promise<void> =>
  withMockProcess(faults, async (mock, env) => test(mock, { ...env, KICK_ACCESS_TOKEN: await mock.token() }))

describe('kick events subscribe: confirmed in the listing', () => {
  it('names each subscription Kick answered 200 for but does not list, and exits 1', async () => {
    await withMock(['subscriptions-not-kept=1'], async (mock, env) => {
      const result = await runKick(['events', 'subscribe', 'channel.followed', 'kicks.gifted'], { env })
      expect(result.code).toBe(1)
      // the answer is still the result on stdout: both got an id
      const answer = JSON.parse(result.stdout) as { name: string; subscription_id: string }[]
      expect(answer.map((entry) => entry.name)).toEqual(['channel.followed', 'kicks.gifted'])
      const lost = answer[0]!.subscription_id
      expect(lines(result.stderr)).toEqual([
        `Kick did not keep the channel.followed subscription ${lost}: it answered 200 but does not list it, ` +
          'so its events will not arrive',
        'Error: Kick did not keep 1 of 2 subscriptions it answered 200 for (a known Kick bug, KDD#419): ' +
          'subscribe again, and check with `kick events list`',
      ])
      await expect.poll(() => answers(mock, LISTING)).toEqual(['200'])
      // subscribing again, the fault spent, works and is confirmed
      const again = await runKick(['events', 'subscribe', 'channel.followed'], { env })
      expect(again.code, again.stderr).toBe(0)
      expect(again.stderr).toBe('')
    })
  })

  it('all listed: nothing changes (exit 0, stderr empty); the listing is one extra request', async () => {
    await withMock([], async (mock, env) => {
      const result = await runKick(['events', 'subscribe', 'chat.message.sent', 'channel.followed'], { env })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      expect(JSON.parse(result.stdout)).toHaveLength(2)
      await expect.poll(() => answers(mock, LISTING)).toEqual(['200'])
    })
  })

  it('--no-verify skips the listing, so a subscription not kept goes unnoticed', async () => {
    await withMock(['subscriptions-not-kept'], async (mock, env) => {
      const result = await runKick(['events', 'subscribe', 'channel.followed', '--no-verify'], { env })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      await expect.poll(() => answers(mock, 'POST /public/v1/events/subscriptions')).toEqual(['200'])
      expect(answers(mock, LISTING)).toEqual([])
    })
  })
})

describe('kick listen --subscribe: confirmed in the listing', () => {
  it('a subscription Kick did not keep ends the run at once: named on stderr, exit 1, the rest unsubscribed', async () => {
    await withMock(['subscriptions-not-kept=1'], async (mock, env) => {
      const listener = await startKick(['listen', '--subscribe', 'kicks.gifted,channel.followed'], env)
      try {
        const exited = await listener.exited
        expect(exited.code).toBe(1)
        const stderr = listener.stderr()
        expect(stderr).toMatch(
          /\nKick did not keep the kicks\.gifted subscription [0-9A-Z]{26}: it answered 200 but does not list it, so its events will not arrive\n/,
        )
        expect(stderr).not.toMatch(/subscription channel\.followed/)
        expect(lines(stderr).at(-1)).toBe(
          'Error: Kick did not keep 1 of 2 subscriptions it answered 200 for (a known Kick bug, KDD#419): ' +
            'subscribe again, and check with `kick events list`',
        )
        // what it created is undone on the way out, as on any stop
        expect(stderr).toContain('Unsubscribed 2 subscriptions')
        await expect.poll(() => answers(mock, 'DELETE /public/v1/events/subscriptions')).toEqual(['204'])
        const left = await runKick(['events', 'list'], { env })
        expect(JSON.parse(left.stdout)).toEqual([])
      } finally {
        await stopKick(listener)
      }
    })
  })

  it('all kept: it listens on; --no-verify skips the listing', async () => {
    await withMock([], async (mock, env) => {
      for (const extra of [[], ['--no-verify']]) {
        const listener = await startKick(['listen', '--subscribe', 'channel.followed', ...extra], env)
        try {
          await expect
            .poll(() => listener.stderr(), { timeout: 15_000 })
            .toContain('Subscribed to 1 event type')
          listener.child.kill('SIGINT')
          expect((await listener.exited).code).toBe(0)
        } finally {
          await stopKick(listener)
        }
      }
      // one listing: the first run's
      expect(answers(mock, LISTING)).toEqual(['200'])
    })
  })
})
