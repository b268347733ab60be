import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'

import { FixtureServer } from './fixture-server.js'
import { type KickResult, runKick } from './run-kick.js'

export const TOKEN = 'fixture-test-token'

export interface FixtureKick {
  fixture: () => FixtureServer
  /** the real binary against the fixture, with a token in the env; stdout is a pipe (JSON output) */
  kick: (args: string[], env?: Record<string, string | undefined>) => Promise<KickResult>
  /** the same on a pseudo-terminal (text output, prompts); `input` is typed into it */
  kickInTerminal: (args: string[], input?: string, columns?: number) => Promise<KickResult>
}

/**
 * One fixture Kick per describe block, reset before each test and verified after it (an unstubbed request or
 * an unused stub fails the test).
 */
export function useFixtureKick(): FixtureKick {
  let server: FixtureServer
  beforeAll(async () => (server = await FixtureServer.start()))
  afterAll(() => server.close())
  beforeEach(() => server.reset())
  afterEach(() => server.verify())
  const env = () => ({ KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: server.url })
  return {
    fixture: () => server,
    kick: (args, extra = {}) => runKick(args, { env: { ...env(), ...extra } }),
    kickInTerminal: (args, input = '', columns) =>
      runKick(args, { env: env(), input, terminal: true, columns }),
  }
}

/** stderr as lines, without the trailing newline. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n')
}

/** Bad input: exit 2, one `Error:` line on stderr matching `message`, nothing on stdout, nothing asked of Kick. */
export function expectRejectedBeforeAnyRequest(
  result: KickResult,
  fixture: FixtureServer,
  message: string | RegExp,
): void {
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  if (typeof message === 'string') expect(lines(result.stderr)).toEqual([message])
  else {
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/^Error: /)
    expect(result.stderr).toMatch(message)
  }
  expect(fixture.requests).toEqual([])
}
