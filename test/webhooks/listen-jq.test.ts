import { afterEach, describe, expect, it } from 'vitest'

import { runKick } from '../helpers/run-kick.js'
import { delivery, freshKey, type Running, send, startKick, stopKick, until } from './helpers.js'

const key = freshKey()
let running: Running | undefined
afterEach(async () => {
  await stopKick(running)
  running = undefined
})

describe('kick listen --jq', () => {
  it('filters each event line: strings bare, one result a line, nothing for an event the filter drops', async () => {
    running = await startKick([
      'listen',
      '--public-key-file',
      key.pemFile,
      '--count',
      '3',
      '--jq',
      'select(.type == "chat.message.sent") | .type, .payload.content',
    ])
    const chat = delivery(key.privateKey, {
      type: 'chat.message.sent',
      body: JSON.stringify({ message_id: 'm1', content: 'hello there' }),
    })
    const ban = delivery(key.privateKey, { type: 'moderation.banned' })
    const second = delivery(key.privateKey, {
      type: 'chat.message.sent',
      body: JSON.stringify({ message_id: 'm2', content: 'again' }),
    })
    for (const d of [chat, ban, second]) expect((await send(running.url, d)).status).toBe(200)
    const { code } = await running.exited
    expect(code).toBe(0)
    expect(running.stdout()).toBe('chat.message.sent\nhello there\nchat.message.sent\nagain\n')
  })

  it('a filter failing on an event says so on stderr, answers 200 and goes on', async () => {
    running = await startKick([
      'listen',
      '--public-key-file',
      key.pemFile,
      '--jq',
      '.payload.content | ascii_downcase',
    ])
    const number = delivery(key.privateKey, { body: JSON.stringify({ content: 42 }) })
    const text = delivery(key.privateKey, { body: JSON.stringify({ content: 'LOUD' }) })
    expect((await send(running.url, number)).status).toBe(200)
    expect((await send(running.url, text)).status).toBe(200)
    await until(() => running!.stdout() === 'loud\n', 'the second event printed')
    expect(running.stderr()).toContain(
      `--jq .payload.content | ascii_downcase: explode input must be a string (event ${number.headers['Kick-Event-Message-Id']}): nothing printed`,
    )
  })

  it('a filter that does not compile is exit 2 before listening', async () => {
    const result = await runKick(['listen', '--public-key-file', key.pemFile, '--jq', '.payload |||'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^Error: --jq: syntax error[^\n]*\n$/)
  })
})
