import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http'
import { createServer } from 'node:net'

import { BIN, baseEnv, isolatedHome, ROOT } from '../helpers/run-kick.js'

/** `kick mock start` as a user runs it: the URL comes from the export lines it prints. */
export class MockProcess {
  stderr = ''
  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly url: string,
    readonly stdout: string,
  ) {}

  static start(args: string[] = [], env: Record<string, string> = {}): Promise<MockProcess> {
    const child = spawn(process.execPath, [BIN, 'mock', 'start', '--port', '0', ...args], {
      cwd: ROOT,
      env: baseEnv(env),
    })
    return new Promise((resolve, reject) => {
      let stdout = ''
      let stderr = ''
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`kick mock start printed no URL within 20 s\n${stderr}`))
      }, 20_000)
      // ready once the exports are on stdout and the banner (written first) on stderr
      const ready = () => {
        const api = /^export KICK_API_URL=(\S+)$/m.exec(stdout)
        if (api && /^export KICK_AUTH_URL=\S+$/m.test(stdout) && stderr.includes('Ctrl-C stops it')) {
          clearTimeout(timer)
          const mock = new MockProcess(child, api[1]!, stdout)
          mock.stderr = stderr
          child.stderr.on('data', (more: string) => (mock.stderr += more))
          child.stdout.off('data', onStdout)
          child.stderr.off('data', onStderr)
          resolve(mock)
        }
      }
      const onStdout = (chunk: string) => {
        stdout += chunk
        ready()
      }
      const onStderr = (chunk: string) => {
        stderr += chunk
        ready()
      }
      child.stdout.setEncoding('utf8').on('data', onStdout)
      child.stderr.setEncoding('utf8').on('data', onStderr)
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`kick mock start exited with ${code}\n${stderr}`))
      })
    })
  }

  async token(body: Record<string, unknown> = {}): Promise<string> {
    const response = await fetch(`${this.url}/mock/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return ((await response.json()) as { access_token: string }).access_token
  }

  /** Sends a signal and waits (bounded) for the exit. */
  stop(signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; signal: string | null }> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null) return resolve({ code: this.child.exitCode, signal: null })
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL')
        reject(new Error('kick mock start did not stop within 10 s'))
      }, 10_000)
      this.child.once('exit', (code, exitSignal) => {
        clearTimeout(timer)
        resolve({ code, signal: exitSignal })
      })
      this.child.kill(signal)
    })
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** What a webhook receiver got: each POST's headers and body, in arrival order. */
export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A loopback webhook receiver that answers 200 and records every delivery. */
export async function webhookReceiver(): Promise<{
  url: string
  received: Received[]
  close(): Promise<void>
}> {
  const received: Received[] = []
  const server = createHttpServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** No keychain: secrets and the app token go to 0600 files (a warning line on stderr). */
export const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kick-test-bus' }

/**
 * `kick mock start --fault …` for one test, and the environment of a CLI pointed at it with an app's client
 * credentials in a home of its own (nobody logged in: app tokens). Stopped afterwards, pass or fail.
 */
export async function withMockProcess(
  faults: string[],
  test: (mock: MockProcess, env: Record<string, string>) => Promise<void>,
): Promise<void> {
  const mock = await MockProcess.start(faults.flatMap((fault) => ['--fault', fault]))
  try {
    await test(mock, {
      ...isolatedHome(),
      ...NO_KEYCHAIN,
      KICK_API_URL: mock.url,
      KICK_AUTH_URL: mock.url,
      KICK_CLIENT_ID: 'mock-app',
      KICK_CLIENT_SECRET: 'mock-app-secret',
    })
  } finally {
    await mock.stop()
  }
}
