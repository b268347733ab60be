import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, useFixtureKick } from '../../helpers/fixture-kick.js'

const MESSAGE_ID = '5138d04d-68f8-4eca-aa65-93123f6f97fe'
const sent = { is_sent: true, message_id: MESSAGE_ID }

describe('kick chat send', () => {
  const { fixture, kick } = useFixtureKick()

  it('sends as the user to --broadcaster-id and prints Kick’s answer', async () => {
    fixture().stub('POST', '/public/v1/chat', ok(sent))
    const result = await kick(['chat', 'send', 'hello chat', '--broadcaster-id', '668'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const [request] = fixture().requests
    expect(request!.method).toBe('POST')
    expect(request!.json).toEqual({ type: 'user', content: 'hello chat', broadcaster_user_id: 668 })
    expect(JSON.parse(result.stdout)).toEqual(sent)
  })

  it('without --broadcaster-id sends to the logged-in user’s own channel', async () => {
    fixture()
      .stub('GET', '/public/v1/users', ok([{ user_id: 721956, name: 'me', email: '', profile_picture: '' }]))
      .stub('POST', '/public/v1/chat', ok(sent))
    const result = await kick(['chat', 'send', 'hi'])
    expect(result.code).toBe(0)
    expect(fixture().requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /public/v1/users',
      'POST /public/v1/chat',
    ])
    expect(fixture().requests[1]!.json).toEqual({ type: 'user', content: 'hi', broadcaster_user_id: 721956 })
  })

  it('as a bot leaves the broadcaster out and carries --reply-to', async () => {
    fixture().stub('POST', '/public/v1/chat', ok(sent))
    const result = await kick(['chat', 'send', '!uptime', '--type', 'bot', '--reply-to', MESSAGE_ID])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.json).toEqual({
      type: 'bot',
      content: '!uptime',
      reply_to_message_id: MESSAGE_ID,
    })
  })

  it('takes 500 characters counted as code points (emoji are one each)', async () => {
    fixture().stub('POST', '/public/v1/chat', ok(sent))
    const message = '🎉'.repeat(500)
    const result = await kick(['chat', 'send', message, '--broadcaster-id', '1'])
    expect(result.code).toBe(0)
    expect((fixture().requests[0]!.json as { content: string }).content).toBe(message)
  })

  it('exits 1 and still prints the answer when Kick says the message was not sent', async () => {
    fixture().stub('POST', '/public/v1/chat', ok({ is_sent: false, message_id: '' }))
    const result = await kick(['chat', 'send', 'hi', '--broadcaster-id', '1'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({ is_sent: false, message_id: '' })
    expect(lines(result.stderr)).toEqual([
      'Error: Kick answered OK but did not send the message (is_sent: false)',
    ])
  })

  it('does not resend a message when Kick answers 500 (it may have been sent)', async () => {
    fixture().stub('POST', '/public/v1/chat', {
      status: 500,
      json: { data: null, message: 'Internal server error' },
    })
    const result = await kick(['chat', 'send', 'hi', '--broadcaster-id', '1'])
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual(['Error: Kick answered 500 Internal Server Error'])
  })

  it.each([
    [['x'.repeat(501)], 'Error: the message is 501 characters long; Kick takes at most 500'],
    [[''], 'Error: the message must not be empty'],
    [
      ['hi', '--type', 'bot', '--broadcaster-id', '5'],
      'Error: --broadcaster-id is for --type user: a bot always sends to the channel of its token',
    ],
    [
      ['hi', '--reply-to', '123'],
      'Error: --reply-to "123" is not a chat message id (a UUID like 5138d04d-68f8-4eca-aa65-93123f6f97fe)',
    ],
    [
      ['hi', '--type', 'mod'],
      'Error: Expected --type=mod to be one of: user, bot: see `kick chat send --help`',
    ],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['chat', 'send', ...args]), fixture(), message)
  })
})

describe('kick chat delete', () => {
  const { fixture, kick } = useFixtureKick()

  it('DELETEs the message by id and confirms', async () => {
    fixture().stub('DELETE', `/public/v1/chat/${MESSAGE_ID}`, { status: 204 })
    const result = await kick(['chat', 'delete', MESSAGE_ID])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ deleted: MESSAGE_ID })
  })

  it('rejects an id that is not a UUID with exit 2 before any request', async () => {
    expectRejectedBeforeAnyRequest(
      await kick(['chat', 'delete', '../users']),
      fixture(),
      'Error: message id "../users" is not a chat message id (a UUID like 5138d04d-68f8-4eca-aa65-93123f6f97fe)',
    )
  })
})
