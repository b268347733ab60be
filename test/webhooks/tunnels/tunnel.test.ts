import { describe, expect, it } from 'vitest'

import { UsageError } from '../../../src/errors.js'
import { localtunnelServer, reconnectDelayMs } from '../../../src/webhooks/tunnels/tunnel.js'

describe('--tunnel-host for localtunnel', () => {
  it('is localtunnel.me by default, an http(s) URL as given, or a bare host taken as https', () => {
    expect(localtunnelServer(undefined).href).toBe('https://localtunnel.me/')
    expect(localtunnelServer('  ').href).toBe('https://localtunnel.me/')
    expect(localtunnelServer('http://127.0.0.1:1234').href).toBe('http://127.0.0.1:1234/')
    expect(localtunnelServer('lt.example.com').href).toBe('https://lt.example.com/')
    expect(localtunnelServer('lt.example.com:8443').href).toBe('https://lt.example.com:8443/')
    // a server under a path: GET /?new is asked below it
    expect(new URL('?new', localtunnelServer('https://example.com/lt')).href).toBe(
      'https://example.com/lt/?new',
    )
    expect(new URL('quiet-fox', localtunnelServer('https://example.com/lt/')).href).toBe(
      'https://example.com/lt/quiet-fox',
    )
  })

  it('is a usage error (exit 2) when it is not an http(s) URL', () => {
    for (const bad of ['ftp://lt.example.com', 'https://', 'http://[::1', 'https://lt.example.com/?x=1']) {
      expect(() => localtunnelServer(bad), bad).toThrow(UsageError)
      expect(() => localtunnelServer(bad), bad).toThrow(
        `--tunnel-host ${bad}: expected the http(s) URL of a localtunnel server`,
      )
    }
  })
})

describe('reconnection backoff', () => {
  it('waits 1 s, 2 s, 4 s, 8 s, then 16 s each time', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(reconnectDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 16_000, 16_000,
    ])
  })
})
