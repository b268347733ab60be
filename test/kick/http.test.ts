import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { headerValue, httpRequest, TimeoutError } from '../../src/kick/http.js'

describe('httpRequest (node:http, the one transport)', () => {
  let server: Server
  let url: string
  const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = []
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/echo': (_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.setHeader('X-Mixed-Case', 'yes')
      res.end('héllo')
    },
    '/gzip': (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' })
      res.end(gzipSync('{"data":"zipped"}'))
    },
    '/silent': () => {
      // never answers
    },
    '/half': (_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('only part')
      setTimeout(() => res.socket?.destroy(), 20)
    },
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() })
        routes[req.url ?? '']?.(req, res)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  it('sends method, headers and a body with its byte length; answers status, headers in order, text', async () => {
    const response = await httpRequest(`${url}/echo`, {
      method: 'PUT',
      headers: { 'x-one': '1' },
      body: 'ünïcode',
      timeoutMs: 5000,
    })
    const request = seen.at(-1)!
    expect(request).toMatchObject({ method: 'PUT', body: 'ünïcode' })
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength('ünïcode')))
    expect(request.headers['x-one']).toBe('1')
    expect(response.status).toBe(200)
    expect(response.statusText).toBe('OK')
    expect(response.text).toBe('héllo')
    expect(response.headers.filter(([name]) => name === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    expect(headerValue(response, 'x-mixed-case')).toBe('yes')
  })

  it('decompresses a gzip answer', async () => {
    expect((await httpRequest(`${url}/gzip`, { timeoutMs: 5000 })).text).toBe('{"data":"zipped"}')
  })

  it('fails with a TimeoutError when no answer comes in time', async () => {
    const error = await httpRequest(`${url}/silent`, { timeoutMs: 50 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toBe('no answer within 0.05 s')
  })

  it('fails with the reason when aborted, and at once when already aborted', async () => {
    const controller = new AbortController()
    const pending = httpRequest(`${url}/silent`, { timeoutMs: 5000, signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stopped by the test')), 20)
    await expect(pending).rejects.toThrow('stopped by the test')
    await expect(
      httpRequest(`${url}/echo`, { timeoutMs: 5000, signal: AbortSignal.abort(new Error('too late')) }),
    ).rejects.toThrow('too late')
  })

  it('fails when the connection drops mid-body, and when nothing listens', async () => {
    await expect(httpRequest(`${url}/half`, { timeoutMs: 5000 })).rejects.toThrow(
      /aborted|ECONNRESET|closed before/,
    )
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    await expect(httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
  })

  it('sends a request again on a fresh connection when a kept-alive one turns out closed', async () => {
    // a server that hangs up on the second request of every connection, answering nothing
    const perSocket = new WeakMap<object, number>()
    const flaky = createServer((req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1
      perSocket.set(req.socket, count)
      if (count === 2) req.socket.destroy()
      else res.end(`answer ${count}`)
    })
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`
    try {
      expect((await httpRequest(`${base}/a`, { timeoutMs: 5000 })).text).toBe('answer 1')
      // the kept-alive socket is reused, hung up on, and the request goes again on a new one
      expect((await httpRequest(`${base}/b`, { method: 'POST', body: 'x', timeoutMs: 5000 })).text).toBe(
        'answer 1',
      )
    } finally {
      flaky.closeAllConnections()
      flaky.close()
    }
  })

  it('refuses a URL that is not http or https', async () => {
    await expect(httpRequest('file:///etc/passwd', { timeoutMs: 5000 })).rejects.toThrow(
      'cannot send a request to a file: URL',
    )
  })
})
