import { spawn, spawnSync } from 'node:child_process'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { stripVTControlCharacters } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

import { samplePayload } from '../../src/kick/events.js'
import { displayWidth } from '../../src/output/width.js'
import { BIN, ROOT, baseEnv, runKick } from '../helpers/run-kick.js'
import { delivery, freshKey, type Running, send, stopKick, until } from './helpers.js'

const hasScript = spawnSync('script', ['--version']).status === 0
const key = freshKey()
const ESC = '\u001B'

let running: Running | undefined
const closers: (() => Promise<void> | void)[] = []
afterEach(async () => {
  await stopKick(running)
  running = undefined
  for (const close of closers.splice(0)) await close()
})

/** A local app for --forward-to that answers 202. */
async function localApp(): Promise<string> {
  const app: Server = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(202).end())
  })
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => app.close(() => resolve())))
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks`
}

/** `kick listen ARGS` on an 80-column pseudo-terminal, colour on; the transcript mixes stdout and stderr. */
function listenInTerminal(args: string[]) {
  const command = [process.execPath, BIN, 'listen', ...args].map((word) => `'${word}'`).join(' ')
  const child = spawn('script', ['-qfec', `stty cols 80 rows 40; exec ${command}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...baseEnv({ NO_COLOR: undefined }), TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let transcript = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (transcript += chunk.replace(/\r\n/g, '\n')))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  closers.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  return { transcript: () => transcript, plain: () => stripVTControlCharacters(transcript), exited }
}

describe.skipIf(!hasScript)('kick listen in a terminal', () => {
  it('one line per event within the width, coloured per family, emotes as :NAME:, forward results under them, rejections red', async () => {
    const app = await localApp()
    const kick = listenInTerminal(['--public-key-file', key.pemFile, '--forward-to', app, '--count', '4'])
    await until(() => /Listening on (\S+)/.test(kick.plain()), 'the banner')
    const url = /Listening on (\S+)/.exec(kick.plain())![1]!

    const chat = samplePayload('chat.message.sent')
    chat.content = `hi [emote:37226:KEKW] ${'and a chat message that goes on '.repeat(4)}`
    const reward = samplePayload('channel.reward.redemption.updated')
    ;(reward.reward as Record<string, unknown>).title = '🎵 歌のリクエスト'
    reward.redeemer = { user_id: 1, username: 'pixelqueen' }
    const sent = [
      delivery(key.privateKey, { type: 'chat.message.sent', body: JSON.stringify(chat) }),
      delivery(key.privateKey, { type: 'channel.reward.redemption.updated', body: JSON.stringify(reward) }),
      delivery(key.privateKey, { type: 'moderation.banned' }),
      delivery(key.privateKey, { type: 'kicks.gifted' }),
    ]
    const forged = delivery(freshKey().privateKey)
    expect((await send(url, forged)).status).toBe(401)
    for (const [i, d] of sent.entries()) {
      expect((await send(url, d)).status).toBe(200)
      await until(() => (kick.plain().match(/ → 202 POST /g) ?? []).length === i + 1, `forward ${i + 1}`)
    }
    expect(await kick.exited).toBe(0)

    const lines = kick.transcript().split('\n')
    const plain = lines.map(stripVTControlCharacters)
    const eventAt = (type: string) =>
      plain.findIndex((line) => / \S+\.\S+ /.test(line) && line.includes(type))
    const forwardLine = new RegExp(`^  → 202 POST ${app.replace(/[/.]/g, '\\$&')} \\d+ ms$`)
    for (const [i, d] of sent.entries()) {
      const at = eventAt(d.headers['Kick-Event-Type']!)
      expect(at, d.headers['Kick-Event-Type']).toBeGreaterThan(-1)
      expect(displayWidth(plain[at]!)).toBeLessThanOrEqual(80)
      // its forward result, short, on the next line (after the last, the note that --count is reached may come first)
      const next = i === sent.length - 1 && plain[at + 1]!.startsWith('stopping: ') ? at + 2 : at + 1
      expect(plain[next]).toMatch(forwardLine)
    }
    const chatLine = plain[eventAt('chat.message.sent')]!
    expect(chatLine).toMatch(/^\d\d:\d\d:\d\d chat\.message\.sent {12}sender_name: hi :KEKW: and a chat/)
    expect(chatLine).toHaveLength(80)
    expect(chatLine.endsWith('…')).toBe(true)
    // cut by display width: the CJK title fills the 80 columns exactly (by string length it would overflow)
    const rewardLine = plain[eventAt('channel.reward')]!
    expect(rewardLine).toMatch(/ channel\.reward\.redemption\.updated pixelqueen redeemed "🎵 歌のリクエス…$/)
    expect(displayWidth(rewardLine)).toBe(80)
    // a colour per family
    expect(lines[eventAt('chat.message.sent')]).toContain(`${ESC}[36mchat.message.sent`)
    expect(lines[eventAt('channel.reward')]).toContain(`${ESC}[33mchannel.reward.redemption.updated`)
    expect(lines[eventAt('moderation.banned')]).toContain(`${ESC}[35mmoderation.banned`)
    expect(lines[eventAt('kicks.gifted')]).toContain(`${ESC}[92mkicks.gifted`)
    expect(kick.transcript()).toContain(
      `${ESC}[31mrejected 401 POST / from 127.0.0.1 (${forged.id}): signature does not match`,
    )
  })
})

describe.skipIf(!hasScript)('kick listen in a terminal, deliveries nested 100,000 deep', () => {
  it('prints a signed body of 100,000 nested arrays, and a chat message whose content is that deep, and answers 200', async () => {
    const kick = listenInTerminal(['--public-key-file', key.pemFile, '--count', '2'])
    await until(() => /Listening on (\S+)/.test(kick.plain()), 'the banner')
    const url = /Listening on (\S+)/.exec(kick.plain())![1]!

    const depth = 100_000
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`
    const chat = samplePayload('chat.message.sent')
    const chatBody = JSON.stringify({ ...chat, content: '@' }).replace('"@"', nested)
    // a type Kick has not documented: its line is the start of the payload's JSON
    const deep = delivery(key.privateKey, { type: 'channel.hype.train', body: nested })
    const deepChat = delivery(key.privateKey, { type: 'chat.message.sent', body: chatBody })
    // before: 500 "Maximum call stack size exceeded", on every retry
    expect(await send(url, deep)).toEqual({ status: 200, body: '' })
    expect(await send(url, deepChat)).toEqual({ status: 200, body: '' })
    expect(await kick.exited).toBe(0)

    const plain = kick.plain().split('\n')
    // the human line summarises: the start of the JSON, cut to the terminal's width
    const hype = plain.find((line) => / channel\.hype\.train /.test(line))!
    expect(hype).toMatch(/^\d\d:\d\d:\d\d channel\.hype\.train {11}\[{41}…$/)
    const sent = plain.find((line) => / chat\.message\.sent /.test(line))!
    expect(sent).toMatch(/^\d\d:\d\d:\d\d chat\.message\.sent {12}sender_name: \[\[\[\[/)
    for (const line of [hype, sent]) expect(displayWidth(line)).toBeLessThanOrEqual(80)
    expect(kick.plain()).not.toMatch(/call stack|request failed/)
  })
})

describe('kick listen at its edges', () => {
  it('--port N on a port in use: one line naming --port, exit 1', async () => {
    const taken = createTcpServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise<void>((resolve) => taken.close(() => resolve())))
    const port = (taken.address() as AddressInfo).port
    const result = await runKick(['listen', '--port', String(port), '--public-key-file', key.pemFile])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `Error: --port ${port}: 127.0.0.1:${port} is already in use: pick another --port, or leave it out for a free one\n`,
    )
  })
})
