import { spawn } from 'node:child_process'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

import { FixtureServer } from '../../helpers/fixture-server.js'
import { baseEnv, BIN, type KickResult, ROOT, runKick } from '../../helpers/run-kick.js'

export const TOKEN = 'part1-test-token'

/**
 * One fixture Kick per test file, reset before each test and verified after it (an unstubbed request or an
 * unused stub fails the test); `kick(...)` spawns the real binary against it with a token in the env.
 */
export function useFixtureKick(): {
  fixture: () => FixtureServer
  kick: (args: string[], env?: Record<string, string | undefined>) => Promise<KickResult>
} {
  let server: FixtureServer
  beforeAll(async () => (server = await FixtureServer.start()))
  afterAll(() => server.close())
  beforeEach(() => server.reset())
  afterEach(() => server.verify())
  return {
    fixture: () => server,
    kick: (args, env = {}) =>
      runKick(args, { env: { KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: server.url, ...env } }),
  }
}

/** stderr as lines, without the trailing newline. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n')
}

/**
 * Runs `kick` with stdin, stdout and stderr on a pseudo-terminal, through util-linux `script`, as a person
 * at a terminal would: text output instead of JSON, prompts enabled. `input` is typed into the terminal.
 * Returns the terminal's transcript with CRLF turned back into LF.
 */
export function runKickInTerminal(
  args: string[],
  env: Record<string, string | undefined>,
  input = '',
): Promise<KickResult> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...baseEnv(env), COLUMNS: '120', LINES: '40', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`kick ${args.join(' ')} in a terminal did not finish within 20 s\n${stdout}`))
    }, 20_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout: stdout.replace(/\r\n/g, '\n'), stderr })
    })
    child.stdin.write(input)
  })
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
