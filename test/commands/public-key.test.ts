import { describe, expect, it } from 'vitest'

import { ok } from '../helpers/fixture-server.js'
import { useFixtureKick } from '../helpers/fixture-kick.js'

describe('kick public-key', () => {
  const { fixture, kick } = useFixtureKick()

  it('public-key --pem prints the PEM text only, and sends no token', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----'
    fixture().stub('GET', '/public/v1/public-key', ok({ public_key: pem }), ok({ public_key: pem }))
    const result = await kick(['public-key', '--pem'], { KICK_ACCESS_TOKEN: undefined })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${pem}\n`)
    expect(result.stderr).toBe('')
    expect(fixture().requests[0]!.headers.authorization).toBeUndefined()

    const json = await kick(['public-key'], { KICK_ACCESS_TOKEN: undefined })
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({ public_key: pem })
  })
})
