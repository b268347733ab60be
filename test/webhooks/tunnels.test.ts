import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import type { Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { BIN, ROOT, baseEnv, runKick } from '../helpers/run-kick.js'
import { freshKey, type Running, startKick, stopKick, until } from './helpers.js'

const key = freshKey()
let running: Running | undefined
const servers: (HttpServer | TcpServer)[] = []
afterEach(async () => {
  await stopKick(running)
  running = undefined
  for (const socket of connections.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const connections: Socket[] = []
const listenOn = <T extends HttpServer | TcpServer>(server: T): Promise<number> => {
  servers.push(server)
  server.on('connection', (socket: Socket) => connections.push(socket))
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

/** A `cloudflared` on PATH that logs like the real one (or not at all), and notes its args, pid and env. */
function fakeCloudflared(behaviour: 'url' | 'silent' | 'fail'): {
  path: string
  argsFile: string
  pidFile: string
  envFile: string
} {
  const dir = mkdtempSync(join(tmpdir(), 'kick-cloudflared-'))
  const argsFile = join(dir, 'args')
  const pidFile = join(dir, 'pid')
  const envFile = join(dir, 'env')
  const body = {
    url: `echo "2026-01-01T00:00:00Z INF |  https://quiet-fox-lamp.trycloudflare.com                                  |" >&2`,
    silent: '',
    fail: 'echo "2026-01-01T00:00:00Z ERR failed to request quick Tunnel" >&2; exit 1',
  }[behaviour]
  writeFileSync(
    join(dir, 'cloudflared'),
    `#!/bin/sh\necho "$@" > '${argsFile}'\necho $$ > '${pidFile}'\nenv > '${envFile}'\n${body}\nexec sleep 60\n`,
  )
  chmodSync(join(dir, 'cloudflared'), 0o755)
  return { path: `${dir}:${process.env.PATH}`, argsFile, pidFile, envFile }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('kick listen tunnels', () => {
  it('cloudflared: spawns the binary on PATH, reads its trycloudflare URL, and stops it at exit', async () => {
    const fake = fakeCloudflared('url')
    // kick's secrets stay with kick (issue 21 item 11)
    const secrets = {
      KICK_ACCESS_TOKEN: 'an-access-token-from-the-environment',
      KICK_CLIENT_SECRET: 'a-client-secret-from-the-environment',
      NGROK_AUTHTOKEN: 'an-ngrok-token-from-the-environment',
    }
    running = await startKick(['listen', '--public-key-file', key.pemFile, '--tunnel', 'cloudflared'], {
      PATH: fake.path,
      ...secrets,
    })
    const env = readFileSync(fake.envFile, 'utf8')
    expect(env).toContain(`PATH=${fake.path}`)
    for (const [name, value] of Object.entries(secrets)) {
      expect(env).not.toContain(name)
      expect(env).not.toContain(value)
    }
    expect(running.stderr()).toContain(
      'Webhook URL for your Kick app (Kick has no API to set it): https://quiet-fox-lamp.trycloudflare.com/',
    )
    const port = new URL(running.url).port
    expect(readFileSync(fake.argsFile, 'utf8').trim()).toBe(
      `tunnel --no-autoupdate --url http://127.0.0.1:${port}`,
    )
    const pid = Number(readFileSync(fake.pidFile, 'utf8'))
    expect(alive(pid)).toBe(true)
    running.child.kill('SIGINT')
    expect((await running.exited).code).toBe(0)
    await until(() => !alive(pid), 'cloudflared to be stopped')
  })

  it('cloudflared: a clear error when it is not on PATH, when it fails, and when it never gives a URL', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kick-nopath-'))
    const missing = await runKick(['listen', '--tunnel', 'cloudflared'], { env: { PATH: empty } })
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toMatch(
      /^Error: --tunnel cloudflared needs the cloudflared binary on PATH: install it/m,
    )

    const failing = fakeCloudflared('fail')
    const failed = await runKick(['listen', '--tunnel', 'cloudflared'], { env: { PATH: failing.path } })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(
      'Error: cloudflared exited (exit 1) before opening a tunnel: 2026-01-01T00:00:00Z ERR failed to request quick Tunnel',
    )

    const silent = fakeCloudflared('silent')
    const slow = await runKick(['listen', '--tunnel', 'cloudflared', '--tunnel-timeout', '1s'], {
      env: { PATH: silent.path },
    })
    expect(slow.code).toBe(1)
    expect(slow.stderr).toContain(
      'Error: the cloudflared tunnel did not open within 1s: check the network, or run your own tunnel and pass --public-url',
    )
    const pid = Number(readFileSync(silent.pidFile, 'utf8'))
    await until(() => !alive(pid), 'the abandoned cloudflared to be stopped')
  })

  it('cloudflared: Ctrl-C while it is still connecting stops it and exits 0', async () => {
    const silent = fakeCloudflared('silent')
    const child = spawn(process.execPath, [BIN, 'listen', '--tunnel', 'cloudflared'], {
      cwd: ROOT,
      env: baseEnv({ PATH: silent.path }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await until(
        () => existsSync(silent.pidFile) && readFileSync(silent.pidFile, 'utf8').endsWith('\n'),
        'cloudflared to start',
      )
      const pid = Number(readFileSync(silent.pidFile, 'utf8'))
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(stderr).toContain('stopped before the tunnel opened')
      await until(() => !alive(pid), 'cloudflared to be stopped')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('ngrok: exit 2 without NGROK_AUTHTOKEN; a clear error or timeout when its server cannot be reached', async () => {
    const noToken = await runKick(['listen', '--tunnel', 'ngrok'], { env: { NGROK_AUTHTOKEN: undefined } })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toBe(
      'Error: --tunnel ngrok needs NGROK_AUTHTOKEN: copy yours from https://dashboard.ngrok.com/get-started/your-authtoken, or use --tunnel cloudflared|localtunnel\n',
    )

    const closed = createTcpServer()
    const closedPort = await listenOn(closed)
    await new Promise((resolve) => closed.close(resolve))
    servers.splice(servers.indexOf(closed), 1)
    const refused = await runKick(
      ['listen', '--tunnel', 'ngrok', '--tunnel-host', `127.0.0.1:${closedPort}`],
      {
        env: { NGROK_AUTHTOKEN: 'not-a-real-token' },
      },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^Error: ngrok refused the tunnel: failed to connect session/m)

    // a server that accepts and never speaks: ngrok waits for its handshake until our timeout
    const mute = createTcpServer(() => undefined)
    const mutePort = await listenOn(mute)
    const hung = await runKick(
      ['listen', '--tunnel', 'ngrok', '--tunnel-host', `127.0.0.1:${mutePort}`, '--tunnel-timeout', '1s'],
      { env: { NGROK_AUTHTOKEN: 'not-a-real-token' } },
    )
    expect(hung.code).toBe(1)
    expect(hung.stderr).toContain('Error: the ngrok tunnel did not open within 1s')
  })

  describe('when the tunnel dies', () => {
    it('cloudflared: exiting after it gave the URL is exit 1 naming the tunnel, not a silent dead URL', async () => {
      const fake = fakeCloudflared('url')
      const kick = (running = await startKick(
        ['listen', '--public-key-file', key.pemFile, '--tunnel', 'cloudflared'],
        { PATH: fake.path },
      ))
      process.kill(Number(readFileSync(fake.pidFile, 'utf8')), 'SIGKILL')
      expect((await kick.exited).code).toBe(1)
      expect(kick.stderr().trimEnd().split('\n').at(-1)).toBe(
        'Error: the cloudflared tunnel (https://quiet-fox-lamp.trycloudflare.com) is gone: cloudflared exited ' +
          '(SIGKILL): 2026-01-01T00:00:00Z INF |  https://quiet-fox-lamp.trycloudflare.com                                  |: ' +
          'Kick can no longer reach this listener',
      )
    })
  })
})
