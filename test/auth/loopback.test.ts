import { createConnection } from 'node:net'
import { describe, expect, it } from 'vitest'

import { CallbackListener } from '../../src/auth/loopback.js'
import { freePort } from './harness.js'

/** Whether this machine has an IPv6 loopback to test against. */
async function hasIpv6Loopback(): Promise<boolean> {
  return reachable('::1', await freePort(), true)
}

function reachable(host: string, port: number, expectRefusal = false): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    // ECONNREFUSED means the address exists and nothing listens; EADDRNOTAVAIL/ENETUNREACH: no such loopback
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(expectRefusal && error.code === 'ECONNREFUSED'),
    )
  })
}

describe('the login callback listener', () => {
  it('serves only the redirect path on 127.0.0.1 and ::1, and closes after the first valid callback', async () => {
    const port = await freePort()
    const listener = await CallbackListener.start(`http://localhost:${port}/callback`, 'the-state')
    const ipv6 = await hasIpv6Loopback()
    try {
      const other = await fetch(`http://127.0.0.1:${port}/favicon.ico`)
      expect(other.status).toBe(404)
      const empty = await fetch(`http://127.0.0.1:${port}/callback`)
      expect(empty.status).toBe(400)
      if (ipv6) expect((await fetch(`http://[::1]:${port}/elsewhere`)).status).toBe(404)

      const host = ipv6 ? '[::1]' : '127.0.0.1'
      const valid = await fetch(`http://${host}:${port}/callback?code=abc&state=the-state`)
      expect(valid.status).toBe(200)
      expect(await valid.text()).toContain('You are logged in to kick')
      await expect(listener.code).resolves.toBe('abc')

      // closed: nothing answers on either address any more
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await reachable('127.0.0.1', port)).toBe(false)
      if (ipv6) expect(await reachable('::1', port)).toBe(false)
    } finally {
      listener.close()
    }
  })

  it('escapes what an error callback says on its page', async () => {
    const port = await freePort()
    const listener = await CallbackListener.start(`http://127.0.0.1:${port}/cb`, 's')
    try {
      const answer = await fetch(
        `http://127.0.0.1:${port}/cb?error=%3Cscript%3Ealert(1)%3C/script%3E&state=s`,
      )
      expect(await answer.text()).toContain('&#60;script&#62;')
      await expect(listener.code).rejects.toThrow('Kick did not log you in: <script>alert(1)</script>')
    } finally {
      listener.close()
    }
  })

  it('accepts a pasted redirect URL only when it is the callback', async () => {
    const port = await freePort()
    const listener = await CallbackListener.start(`http://localhost:${port}/callback`, 'st')
    try {
      expect(listener.accept('hello')).toBe(false)
      expect(listener.accept(`http://localhost:${port}/other?code=x&state=st`)).toBe(false)
      expect(listener.accept(`http://localhost:${port}/callback?code=x&state=st`)).toBe(true)
      await expect(listener.code).resolves.toBe('x')
    } finally {
      listener.close()
    }
  })

  it('keeps waiting after a callback with a wrong or no state, error= too; a pasted one with a wrong state ends it', async () => {
    const port = await freePort()
    const listener = await CallbackListener.start(`http://localhost:${port}/callback`, 'st')
    try {
      for (const query of [
        'code=x&state=forged',
        'error=access_denied',
        'error=access_denied&state=forged',
      ]) {
        const answer = await fetch(`http://127.0.0.1:${port}/callback?${query}`)
        expect(answer.status, query).toBe(400)
        expect(await answer.text()).toContain('this link was not made by this login, which goes on waiting')
      }
      const real = await fetch(`http://127.0.0.1:${port}/callback?code=real&state=st`)
      expect(real.status).toBe(200)
      await expect(listener.code).resolves.toBe('real')
    } finally {
      listener.close()
    }

    const pasted = await CallbackListener.start(`http://localhost:${await freePort()}/callback`, 'st')
    try {
      expect(pasted.accept('http://localhost/callback?code=x&state=forged')).toBe(true)
      await expect(pasted.code).rejects.toThrow('the login callback carried the wrong state')
    } finally {
      pasted.close()
    }
  })
})
