import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { selfSignedCertificate } from '../helpers/certificate.js'
import { runKick } from '../helpers/run-kick.js'

/**
 * Kick itself is HTTPS: the binary against a loopback HTTPS server with a certificate of its own (made by
 * openssl, trusted through NODE_EXTRA_CA_CERTS as a user behind a corporate CA would).
 */
describe('kick over HTTPS', () => {
  let server: Server
  let url: string
  let certFile: string
  const seen: { path?: string; agent?: string; authorization?: string }[] = []

  beforeAll(async () => {
    const certificate = selfSignedCertificate('IP:127.0.0.1')
    certFile = certificate.certFile
    server = createServer(certificate, (req, res) => {
      seen.push({ path: req.url, agent: req.headers['user-agent'], authorization: req.headers.authorization })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ data: [{ user_id: 7, name: 'tls', email: '', profile_picture: '' }] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => server.close())

  it('talks to an HTTPS API it trusts', async () => {
    const result = await runKick(['users', 'get', '--json'], {
      env: { KICK_API_URL: url, KICK_ACCESS_TOKEN: 'tls-token', NODE_EXTRA_CA_CERTS: certFile },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ user_id: 7, name: 'tls', email: '', profile_picture: '' }])
    expect(seen.at(-1)).toMatchObject({ path: '/public/v1/users', authorization: 'Bearer tls-token' })
    expect(seen.at(-1)?.agent).toMatch(/^kick-cli\/\d+\.\d+\.\d+ /)
  })

  it('refuses a certificate it does not trust: exit 1, one line naming the server', async () => {
    const result = await runKick(['users', 'get', '--json'], {
      env: { KICK_API_URL: url, KICK_ACCESS_TOKEN: 'tls-token' },
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`Error: could not reach ${url}: DEPTH_ZERO_SELF_SIGNED_CERT\n`)
  })
})
