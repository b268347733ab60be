import { describe, expect, it } from 'vitest'

import { runKick, terminalKick } from '../helpers/run-kick.js'
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
    const secret = await runKick(['config', 'get', 'client-secret'], { env })
    expect(secret.code).toBe(1)
    expect(secret.stderr).toMatch(
      /^Error: client-secret is set but never printed: it is kept in (the system keychain \(entry \S+\)|\S+ \(mode 0600\))\n$/,
    )
  })

  it('with no browser to open (no BROWSER, no DISPLAY) asks for the pasted-back URL at once, and takes it', async () => {
    const env = world.env({ BROWSER: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined })
    const session = terminalKick(['login', '--scopes', 'user:read'], env)
    await session.waitFor(/paste the URL the browser was sent to:/)
    const shown = session.output()
    expect(shown).toContain(
      'Warning: no browser to open here (no BROWSER and no DISPLAY): open the URL above yourself',
    )
    // the user opens the URL on another device, approves, and copies the address it landed on
    const authorize = /http:\S+\/oauth\/authorize\?\S+/.exec(shown)![0]
    const landed = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!
    session.type(`${landed}\r`)
    const result = await session.exited
    expect(result.code, result.output).toBe(0)
    expect(result.output).toMatch(/Logged in to Kick as mockstreamer \(user id 100001\) on profile/)
    expect(world.browserUrls()).toHaveLength(0)
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
