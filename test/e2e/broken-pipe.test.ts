import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { BIN, baseEnv } from '../helpers/run-kick.js'

/**
 * A Kick whose lists never end: every page has 500 items and a next cursor. A command piped into `head -1`
 * must stop when head goes away (exit 0, nothing on stderr), not fetch pages forever or print `write EPIPE`.
 */
describe('--paginate piped into head -1', () => {
  let server: Server
  let url: string
  let requests = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++
      const items = Array.from({ length: 500 }, (_, i) => ({
        id: requests * 1000 + i,
        name: 'x'.repeat(100),
      }))
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ data: items, message: 'OK', pagination: { next_cursor: `c${requests}` } }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => server.close())

  it.each([
    [['categories', 'list', '--paginate']],
    [['livestreams', 'list', '--paginate']],
    [['redemptions', 'list', '--paginate']],
    [['api', '/public/v2/categories', '--paginate']],
  ])('kick %j | head -1 ends quietly with exit 0', async (args) => {
    requests = 0
    const quoted = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ')
    const result = await new Promise<{ stdout: string; stderr: string; status: string }>((resolve) => {
      const child = spawn('bash', ['-c', `${quoted} | head -1; echo "\${PIPESTATUS[0]}" >&3`], {
        env: baseEnv({ KICK_ACCESS_TOKEN: 'tok', KICK_API_URL: url }),
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      let status = ''
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk))
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk))
      child.stdio[3]!.on('data', (chunk: Buffer) => (status += chunk))
      child.on('close', () => resolve({ stdout, stderr, status: status.trim() }))
    })
    expect(result).toEqual({ stdout: '[\n', stderr: '', status: '0' })
    // it stopped at once rather than following the endless cursor
    expect(requests).toBeLessThan(20)
  })
})
