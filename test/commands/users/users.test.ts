import { describe, expect, it } from 'vitest'

import { ok } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, TOKEN, useFixtureKick } from '../../helpers/fixture-kick.js'
import { runKick } from '../../helpers/run-kick.js'
import { withMockProcess } from '../../mock/mock-process.js'

const me = {
  user_id: 721956,
  name: 'Scorfly',
  email: 'user@domain.tld',
  profile_picture: 'https://files.kick.com/images/user/721956/profile_image/a.webp',
}
const other = { user_id: 30111, name: 'inxxxxx', email: '', profile_picture: '' }

describe('kick users get', () => {
  const { fixture, kick, kickInTerminal } = useFixtureKick()

  it('without --id asks for the token owner and prints the data as JSON', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me]))
    const result = await kick(['users', 'get'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([me])
    const [request] = fixture().requests
    expect(request!.method).toBe('GET')
    expect(request!.path).toBe('/public/v1/users')
    expect([...request!.query]).toEqual([])
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('without --id, an empty answer (an app token has no owner) is exit 4 naming kick login, not (none)', async () => {
    fixture().stub('GET', '/public/v1/users', ok([]))
    const result = await kick(['users', 'get'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'Error: the token belongs to no user (an app token): run `kick login`, or pass --id',
    ])
  })

  it('sends each --id as a repeated query key, in order', async () => {
    fixture().stub('GET', '/public/v1/users', ok([other, me]))
    const result = await kick(['users', 'get', '--id', '30111', '--id', '721956', '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([other, me])
    expect(fixture().requests[0]!.query.getAll('id')).toEqual(['30111', '721956'])
  })

  it('exits 1 naming the ids Kick did not return, after printing the users it did (like channels get)', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me]))
    const result = await kick(['users', 'get', '--id', '721956', '--id', '999', '--id', '998', '--id', '999'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual([me])
    expect(lines(result.stderr)).toEqual([
      'Error: no user found for id 999, 998: check the id (Kick answers unknown users with nothing)',
    ])
  })

  it('in a terminal, prints the table of the users found, then the error line', async () => {
    fixture().stub('GET', '/public/v1/users', ok([]))
    const result = await kickInTerminal(['users', 'get', '--id', '999'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Error: no user found for id 999')
  })

  it('rejects an id that is not a positive integer with exit 2 and no request', async () => {
    expectRejectedBeforeAnyRequest(await kick(['users', 'get', '--id', 'abc']), fixture(), /abc/)
  })

  it("passes Kick's message on with exit 1 when Kick fails", async () => {
    fixture().stub('GET', '/public/v1/users', {
      status: 400,
      json: { data: null, message: 'Invalid user id' },
    })
    const result = await kick(['users', 'get', '--id', '5'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual(['Error: Kick answered 400 Bad Request: Invalid user id'])
  })
})

describe('kick users get with an app token, against the mock', () => {
  it('without --id: the mock’s 400 (as Kick’s on channels) becomes the exit-4 advice', async () => {
    await withMockProcess([], async (_mock, env) => {
      const result = await runKick(['users', 'get'], { env })
      expect(result.code).toBe(4)
      expect(result.stdout).toBe('')
      expect(result.stderr.trim().split('\n').at(-1)).toBe(
        'Error: the token belongs to no user (an app token; Kick answered 400 Bad Request: id is required for ' +
          'app tokens): run `kick login`, or pass --id',
      )
      const byId = await runKick(['users', 'get', '--id', '100002'], { env })
      expect(byId.code, byId.stderr).toBe(0)
      expect(JSON.parse(byId.stdout)).toEqual([expect.objectContaining({ user_id: 100002 })])
    })
  })
})
