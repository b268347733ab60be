import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

import { baseEnv, BIN, ROOT, runKick } from '../helpers/run-kick.js'
import { AuthWorld, authWorldHooks, CLIENT_ID, CLIENT_SECRET } from './harness.js'

describe('kick login in a terminal', () => {
  let world: AuthWorld
  authWorldHooks((_mock, w) => (world = w))

  it('asks for the missing client id and secret (hidden), stores them, and logs in', async () => {
    const env = world.env({ KICK_CLIENT_ID: undefined, KICK_CLIENT_SECRET: undefined })
    const session = terminalKick(['login', '--scopes', 'user:read'], env)
    // a person answers each prompt once it is shown (typed-ahead input would go to the first one)
    await session.waitFor(/Client ID of your Kick app/)
    session.type(`${CLIENT_ID}\r`)
    await session.waitFor(/Client secret \(stored in the system keychain\)/)
    session.type(`${CLIENT_SECRET}\r`)
    const result = await session.exited
    expect(result.code, result.output).toBe(0)
    expect(result.output).not.toContain(CLIENT_SECRET)
    expect(result.output).toMatch(/Logged in to Kick as \S+ \(user id 100001\) on profile/)

    const id = await runKick(['config', 'get', 'client-id', '--json'], { env })
    expect(JSON.parse(id.stdout)).toEqual({ key: 'client-id', value: CLIENT_ID, source: 'file' })
    const secret = await runKick(['config', 'get', 'client-secret', '--json'], { env })
    expect(JSON.parse(secret.stdout).value).toBe('(hidden)')
  })

  it('offers a checkbox of the 11 scopes when neither --scopes nor --all-scopes is given', async () => {
    const session = terminalKick(['login'], world.env())
    await session.waitFor(/Scopes to ask Kick for/)
    // user:read comes checked; move down to channel:read, check it, submit
    session.type('\u001B[B')
    session.type(' ')
    session.type('\r')
    const result = await session.exited
    expect(result.code, result.output).toBe(0)
    expect(world.browserUrls()[0]!.searchParams.get('scope')).toBe('user:read channel:read')
    for (const scope of ['moderation:chat_message:manage', 'kicks:read', 'streamkey:read']) {
      expect(result.output).toContain(scope)
    }
  })
})

/** kick on a pseudo-terminal (util-linux `script`), typed at like a person: wait for a prompt, then answer. */
function terminalKick(args: string[], env: Record<string, string | undefined>) {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...baseEnv(env), COLUMNS: '120', LINES: '40', TERM: 'dumb' },
    stdio: 'pipe',
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    }),
  )
  return {
    exited,
    type: (text: string) => child.stdin.write(text),
    async waitFor(pattern: RegExp): Promise<void> {
      for (let waited = 0; waited < 15_000; waited += 50) {
        if (pattern.test(output)) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`the terminal never showed ${pattern}:\n${output}`)
    },
  }
}
