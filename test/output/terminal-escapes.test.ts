import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

import { samplePayload } from '../../src/kick/events.js'
import { useFixtureKick } from '../helpers/fixture-kick.js'
import { ok } from '../helpers/fixture-server.js'
import { baseEnv, BIN, ROOT } from '../helpers/run-kick.js'
import { delivery, freshKey, send, until } from '../webhooks/helpers.js'

/**
 * Text written by other people reaches a real pseudo-terminal (util-linux `script`) inert (issue 10, point 5):
 * an OSC that would retitle the terminal, a CSI that would colour it or clear the screen, a BEL, a CR that
 * would overwrite the line and a newline that would forge a second one. The transcript is the raw bytes the
 * terminal got; with NO_COLOR the CLI writes no escape sequence of its own, so any ESC or BEL in it came
 * from a payload.
 */
const hasScript = spawnSync('script', ['--version']).status === 0

const HOSTILE = 'hi\u001b]0;pwned\u0007 \u001b[31mred\u001b[0m\u0007\rOVERWRITE\n12:00:00 forged line'
const HOSTILE_NAME = 'evil\u001b[2J\u001b[Hname\nforged'

/** What the terminal got, checked for anything a payload could have done to it. */
function expectInert(transcript: string): void {
  expect(transcript).not.toContain('\u001b')
  expect(transcript).not.toContain('\u0007')
  // the pty turns each \n into \r\n; a CR of its own would be one not followed by \n
  expect(transcript.replace(/\r\n/g, '\n')).not.toContain('\r')
  expect(transcript).not.toMatch(/^12:00:00 forged line/m)
  expect(transcript).not.toMatch(/^forged/m)
  expect(transcript).not.toMatch(/^OVERWRITE/m)
}

describe.skipIf(!hasScript)('text from others in a terminal', () => {
  const { fixture, kickInTerminal } = useFixtureKick()

  it('kick listen shows a hostile chat message and username escaped, each event on one line', async () => {
    const key = freshKey()
    const command = [process.execPath, BIN, 'listen', '--public-key-file', key.pemFile, '--count', '2']
    const child = spawn('script', ['-qec', command.map((word) => `'${word}'`).join(' '), '/dev/null'], {
      cwd: ROOT,
      env: { ...baseEnv(), COLUMNS: '200', LINES: '40', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let transcript = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (transcript += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await until(() => /Listening on (\S+)/.test(transcript), 'the banner')
      const url = /Listening on (\S+)/.exec(transcript)![1]!
      const payload = samplePayload('chat.message.sent') as Record<string, Record<string, unknown>>
      const chat = delivery(key.privateKey, {
        body: JSON.stringify({ ...payload, content: HOSTILE }),
      })
      const follow = delivery(key.privateKey, {
        type: 'channel.followed',
        body: JSON.stringify({
          ...samplePayload('channel.followed'),
          follower: { ...(samplePayload('channel.followed').follower as object), username: HOSTILE_NAME },
        }),
      })
      expect((await send(url, chat)).status).toBe(200)
      expect((await send(url, follow)).status).toBe(200)
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }

    expectInert(transcript)
    const lines = transcript.replace(/\r\n/g, '\n').split('\n')
    const events = lines.filter((line) => /^\d\d:\d\d:\d\d /.test(line))
    expect(events).toHaveLength(2)
    expect(events[0]).toContain(
      'hi\\e]0;pwned\\u0007 \\e[31mred\\e[0m\\u0007\\rOVERWRITE\\n12:00:00 forged line',
    )
    expect(events[1]).toContain('evil\\e[2J\\e[Hname\\nforged')
  })

  it('a table shows a hostile stream title escaped, in one row', async () => {
    fixture().stub(
      'GET',
      '/public/v1/channels',
      ok([
        {
          broadcaster_user_id: 668,
          slug: 'xqc',
          channel_description: '',
          banner_picture: '',
          stream_title: HOSTILE,
          category: { id: 15, name: HOSTILE_NAME, thumbnail: '' },
          stream: { is_live: true, viewer_count: 1 },
        },
      ]),
    )
    const result = await kickInTerminal(['channels', 'get', '--slug', 'xqc'])
    expect(result.code).toBe(0)
    expectInert(result.stdout)
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('│'))
    expect(rows).toHaveLength(2)
    expect(rows[1]).toContain(
      'hi\\e]0;pwned\\u0007 \\e[31mred\\e[0m\\u0007\\rOVERWRITE\\n12:00:00 forged line',
    )
    expect(rows[1]).toContain('evil\\e[2J\\e[Hname\\nforged')
  })

  it("an API error message is shown escaped, on the one Error line (and --verbose's details too)", async () => {
    const error = { status: 400, json: { data: null, message: `bad request ${HOSTILE}` } }
    fixture().stub('GET', '/public/v1/channels', error, error)
    const result = await kickInTerminal(['channels', 'get', '--slug', 'xqc'])
    expect(result.code).toBe(1)
    expectInert(result.stdout)
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('Error:'))
    expect(errors).toHaveLength(1)
    // the client folds the message's line breaks into spaces (an error is one line) and drops the part that
    // repeats the status text; what is left of the control characters is escaped
    expect(errors[0]).toContain(
      'Bad Request: hi\\e]0;pwned\\u0007 \\e[31mred\\e[0m\\u0007 OVERWRITE 12:00:00 forged line',
    )

    const verbose = await kickInTerminal(['channels', 'get', '--slug', 'xqc', '--verbose'])
    expect(verbose.code).toBe(1)
    expectInert(verbose.stdout)
  })

  it('kick api shows a body that is not JSON escaped, line by line', async () => {
    fixture().stub('GET', '/public/v1/users', {
      status: 200,
      body: `first line ${HOSTILE}\nsecond line`,
      headers: { 'content-type': 'text/plain' },
    })
    const result = await kickInTerminal(['api', 'users', '-i'])
    expect(result.code).toBe(0)
    // the body's own lines stay lines (it is the output), but nothing in them reaches the terminal raw
    expect(result.stdout).not.toContain('\u001b')
    expect(result.stdout).not.toContain('\u0007')
    expect(result.stdout).toContain(
      '\nfirst line hi\\e]0;pwned\\u0007 \\e[31mred\\e[0m\\u0007\\rOVERWRITE\n12:00:00 forged line\nsecond line\n',
    )
  })
})
