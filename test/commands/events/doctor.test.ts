import { createPrivateKey, createPublicKey, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { runKick } from '../../helpers/run-kick.js'
import { webhookReceiver, withMockProcess } from '../../mock/mock-process.js'

/** `kick events doctor` against the mock, healthy and with each fault that breaks one of its checks. */

interface Check {
  check: string
  ok: boolean
  detail: string
  fix?: string
}

const doctor = async (env: Record<string, string>, ...args: string[]) => {
  const result = await runKick(['events', 'doctor', ...args], { env })
  return { ...result, checks: result.stdout ? (JSON.parse(result.stdout) as Check[]) : [] }
}

const errorLine = (stderr: string): string | undefined =>
  stderr
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('Error:'))
    .at(-1)

describe('kick events doctor', () => {
  it('all pass (app token, scopes, subscriptions, a URL that answers 200): exit 0, the checks as data', async () => {
    await withMockProcess([], async (_mock, env) => {
      const receiver = await webhookReceiver()
      try {
        const subscribed = await runKick(
          ['events', 'subscribe', 'kicks.gifted', 'channel.followed', '--broadcaster-id', '100001'],
          { env },
        )
        expect(subscribed.code, subscribed.stderr).toBe(0)
        const result = await doctor(env, '--url', receiver.url)
        expect(result.code, result.stderr).toBe(0)
        expect(result.checks).toEqual([
          { check: 'app-token', ok: true, detail: 'the client credentials obtain an app token' },
          {
            check: 'scopes',
            ok: true,
            detail: 'nobody is logged in: subscriptions use the app token, which needs no scope',
          },
          { check: 'subscriptions', ok: true, detail: '2 subscriptions, each listed once' },
          {
            check: 'webhook-url',
            ok: true,
            detail: 'answered 200 to a signed kicks.gifted test delivery',
          },
        ])
        // the test delivery is kick trigger's: Kick's headers, signed with the local development key
        expect(receiver.received).toHaveLength(1)
        const [delivery] = receiver.received
        expect(delivery!.headers['kick-event-type']).toBe('kicks.gifted')
        const key = createPublicKey(
          createPrivateKey(readFileSync(join(env.XDG_CONFIG_HOME!, 'kick', 'dev-webhook-key.pem'), 'utf8')),
        )
        const signed = `${String(delivery!.headers['kick-event-message-id'])}.${String(delivery!.headers['kick-event-message-timestamp'])}.${delivery!.body}`
        expect(
          verify(
            'sha256',
            Buffer.from(signed),
            key,
            Buffer.from(String(delivery!.headers['kick-event-signature']), 'base64'),
          ),
        ).toBe(true)
      } finally {
        await receiver.close()
      }
    })
  })

  it('in a terminal: one line per check, a mark and the check’s name', async () => {
    await withMockProcess([], async (_mock, env) => {
      const result = await runKick(['events', 'doctor'], { env, terminal: true })
      expect(result.code).toBe(0)
      const lines = result.stdout.split('\n').filter((line) => /^[✓✗] /.test(line))
      expect(lines).toEqual([
        '✓ app token     the client credentials obtain an app token',
        '✓ scopes        nobody is logged in: subscriptions use the app token, which needs no scope',
        '✓ subscriptions no subscriptions yet (`kick events subscribe EVENT`)',
      ])
    })
  })

  it('subscriptions-duplicated: the twin is flagged with the unsubscribe that removes it, exit 1', async () => {
    await withMockProcess(['subscriptions-duplicated'], async (_mock, env) => {
      const subscribed = await runKick(
        ['events', 'subscribe', 'channel.followed', '--broadcaster-id', '100001'],
        { env },
      )
      expect(subscribed.code, subscribed.stderr).toBe(0)
      const kept = (JSON.parse(subscribed.stdout) as { subscription_id: string }[])[0]!.subscription_id
      const result = await doctor(env)
      expect(result.code).toBe(1)
      const check = result.checks.find((entry) => entry.check === 'subscriptions')!
      expect(check.ok).toBe(false)
      expect(check.detail).toMatch(
        new RegExp(
          `^channel\\.followed v1 of broadcaster 100001 is listed 2 times \\(${kept}, [0-9A-Z]{26}\\)$`,
        ),
      )
      const twin = /, ([0-9A-Z]{26})\)$/.exec(check.detail)![1]!
      expect(check.fix).toBe(
        `delete the extra entries: \`kick events unsubscribe ${twin}\`, then subscribe again if events are missing`,
      )
      expect(errorLine(result.stderr)).toBe('Error: 1 of 3 checks failed: see what to do on its line')
      // following the advice fixes it
      expect((await runKick(['events', 'unsubscribe', twin], { env })).code).toBe(0)
      expect((await doctor(env)).code).toBe(0)
    })
  })

  it('waf: no app token and nothing to subscribe with; each failed check says what to do', async () => {
    await withMockProcess(['waf'], async (_mock, env) => {
      const result = await doctor(env)
      expect(result.code).toBe(1)
      expect(result.checks.map((check) => [check.check, check.ok])).toEqual([
        ['app-token', false],
        ['scopes', false],
        ['subscriptions', false],
      ])
      expect(result.checks[0]!.detail).toContain('Request blocked by security policy')
      expect(result.checks.every((check) => check.fix)).toBe(true)
      expect(result.checks[2]!.detail).toBe('not checked: there is no token to list them with')
    })
  })

  it('a user token without events:subscribe fails the scope check; with it, it passes', async () => {
    await withMockProcess([], async (mock, env) => {
      const without = await doctor({ ...env, KICK_ACCESS_TOKEN: await mock.token({ scopes: ['user:read'] }) })
      expect(without.code).toBe(1)
      expect(without.checks[1]).toEqual({
        check: 'scopes',
        ok: false,
        detail: 'the token in KICK_ACCESS_TOKEN lacks events:subscribe (it has user:read)',
        fix: 'use a token with events:subscribe',
      })
      const withScope = await doctor({
        ...env,
        KICK_ACCESS_TOKEN: await mock.token({ scopes: ['user:read', 'events:subscribe'] }),
      })
      expect(withScope.code, withScope.stderr).toBe(0)
      expect(withScope.checks[1]).toEqual({
        check: 'scopes',
        ok: true,
        detail: 'the token in KICK_ACCESS_TOKEN has events:subscribe',
      })
      const expired = await doctor({ ...env, KICK_ACCESS_TOKEN: 'not-a-token-kick-issued' })
      expect(expired.checks[1]).toMatchObject({ ok: false, fix: 'set a valid KICK_ACCESS_TOKEN' })
    })
  })

  it('--url answering 401, or not at all, fails with what to do; a bad --url is exit 2', async () => {
    await withMockProcess([], async (_mock, env) => {
      const refusing = createServer((_req, res) => res.writeHead(401).end('bad signature'))
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
      try {
        const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/hook`
        const result = await doctor(env, '--url', url)
        expect(result.code).toBe(1)
        expect(result.checks[3]).toEqual({
          check: 'webhook-url',
          ok: false,
          detail: 'answered 401 to a signed chat.message.sent test delivery',
          fix:
            'the test delivery is signed with the local development key: trust it while testing ' +
            '(`kick public-key --dev --pem`), or see why the endpoint refuses it',
        })
      } finally {
        await new Promise((resolve) => refusing.close(resolve))
      }
      const bad = await doctor(env, '--url', 'example.com/hook')
      expect(bad.code).toBe(2)
      expect(errorLine(bad.stderr)).toBe('Error: --url example.com/hook: expected an http(s) URL')
    })
  })
})
