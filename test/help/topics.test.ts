import { describe, expect, it } from 'vitest'

import { HELP_TOPICS, renderHelpTopic, wrapWords } from '../../src/help/topics.js'
import { runKick } from '../helpers/run-kick.js'

/** the words of a text, whatever the line breaks and indentation */
const words = (text: string): string[] => text.split(/\s+/).filter(Boolean)

describe('help topics laid out for a width', () => {
  it('wraps each meaning at word boundaries, back to its column, within the width', () => {
    for (const width of [40, 60, 80, 100]) {
      for (const topic of Object.values(HELP_TOPICS)) {
        const text = renderHelpTopic(topic, width)
        const lines = text.split('\n')
        for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width)
        // every word is there, whole and in order: nothing cut inside a word
        expect(words(text)).toEqual(
          words([topic.heading, ...topic.rows.flat(), 'after' in topic ? topic.after : ''].join(' ')),
        )
        // every line of a meaning but a first one beside its name starts in one column
        const columns = lines.filter((line) => /^ {3}/.test(line)).map((line) => line.search(/\S/))
        expect(new Set(columns).size, `${width}: ${text}`).toBeLessThanOrEqual(1)
      }
    }
  })

  it('keeps one row to one line where it fits', () => {
    const text = renderHelpTopic(HELP_TOPICS['exit-codes'], 200)
    expect(text.split('\n').slice(0, 6)).toEqual([
      'EXIT CODES',
      '  0     success',
      '  1     an API, network or runtime error (also: Kick answered, but not with what was asked for)',
      '  2     a usage error: bad flags, arguments or input, found before any request',
      '  4     authentication needed or rejected: no token, a 401, a missing scope, a failed refresh',
      '  130   interrupted (Ctrl-C)',
    ])
  })

  it('leaves a word longer than the width whole, on a line of its own', () => {
    expect(wrapWords('see http://localhost:53682/callback now', 12)).toEqual([
      'see',
      'http://localhost:53682/callback',
      'now',
    ])
  })
})

describe('in an 80-column terminal', () => {
  for (const args of [['help', 'environment'], ['help', 'exit-codes'], ['--help'], []]) {
    it(`kick ${args.join(' ')} wraps at word boundaries within 80 columns`, async () => {
      const result = await runKick(args, { terminal: true, columns: 80 })
      expect(result.code, result.stdout).toBe(0)
      const lines = result.stdout.trimEnd().split('\n')
      expect(lines.length).toBeGreaterThan(5)
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    })
  }

  it('kick --help keeps the words of its first line whole: the description, wrapped', async () => {
    const result = await runKick(['--help'], { terminal: true, columns: 80 })
    const [first, second] = result.stdout.split('\n')
    expect(`${first} ${second}`).toBe(
      'The command-line tool for the Kick developer API: every endpoint, PKCE login, verified webhooks, a local mock Kick',
    )
    expect(first!.length).toBeLessThanOrEqual(80)
  })

  it('kick help environment in a pipe is laid out for 80 columns, as the rest of help', async () => {
    const result = await runKick(['help', 'environment'])
    expect(result.stdout).toContain(
      '  KICK_API_URL              the API server (default https://api.kick.com); point\n                            it at `kick mock start`\n',
    )
  })
})
