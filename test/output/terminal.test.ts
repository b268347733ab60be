import { afterEach, describe, expect, it } from 'vitest'

import { colourEnabled } from '../../src/output/terminal.js'
import { ok } from '../helpers/fixture-server.js'
import { TOKEN, useFixtureKick } from '../helpers/fixture-kick.js'
import { runKick } from '../helpers/run-kick.js'

const COLOUR_VARIABLES = ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR_FORCE'] as const
const ESC = '\u001B['

describe('colourEnabled: the colour conventions', () => {
  const saved = Object.fromEntries(COLOUR_VARIABLES.map((name) => [name, process.env[name]]))
  afterEach(() => {
    for (const name of COLOUR_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })
  const terminal = { isTTY: true }
  const pipe = { isTTY: false }

  it.each([
    // [environment, at a terminal, in a pipe]
    [{}, true, false],
    [{ NO_COLOR: '1' }, false, false],
    // an empty NO_COLOR is not set (no-color.org)
    [{ NO_COLOR: '' }, true, false],
    [{ FORCE_COLOR: '1' }, true, true],
    [{ FORCE_COLOR: '3' }, true, true],
    [{ FORCE_COLOR: 'true' }, true, true],
    [{ FORCE_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '0' }, false, false],
    [{ FORCE_COLOR: 'false' }, false, false],
    [{ CLICOLOR_FORCE: '1' }, true, true],
    [{ CLICOLOR_FORCE: '0' }, true, false],
    // NO_COLOR wins over both
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, false, false],
    [{ NO_COLOR: '1', CLICOLOR_FORCE: '1' }, false, false],
    // FORCE_COLOR=0 is the more specific no
    [{ FORCE_COLOR: '0', CLICOLOR_FORCE: '1' }, false, false],
  ] as const)('%o: terminal %s, pipe %s', (env, atTerminal, inPipe) => {
    for (const name of COLOUR_VARIABLES) delete process.env[name]
    Object.assign(process.env, env)
    expect(colourEnabled(terminal)).toBe(atTerminal)
    expect(colourEnabled(pipe)).toBe(inPipe)
  })
})

describe('colour as kick prints it', () => {
  const { fixture } = useFixtureKick()
  const loggedIn = () => ({ KICK_ACCESS_TOKEN: TOKEN, KICK_API_URL: fixture().url })
  const USER = { user_id: 1, name: 'ada', email: '', profile_picture: '' }

  it('an error line on stderr, in a pipe: plain, red with FORCE_COLOR or CLICOLOR_FORCE, plain with NO_COLOR too', async () => {
    const notLoggedIn = (env: Record<string, string | undefined>) =>
      runKick(['users', 'get'], { env: { NO_COLOR: undefined, ...env } })
    const plain = 'Error: not logged in: run `kick login --scopes user:read` or set KICK_ACCESS_TOKEN\n'
    const red = `\u001B[31mError:\u001B[0m not logged in: run \`kick login --scopes user:read\` or set KICK_ACCESS_TOKEN\n`
    expect((await notLoggedIn({})).stderr).toBe(plain)
    expect((await notLoggedIn({ FORCE_COLOR: '1' })).stderr).toBe(red)
    expect((await notLoggedIn({ CLICOLOR_FORCE: '1' })).stderr).toBe(red)
    expect((await notLoggedIn({ FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).toBe(plain)
    expect((await notLoggedIn({ FORCE_COLOR: '0' })).stderr).toBe(plain)
  })

  it('a warning line in a pipe with FORCE_COLOR: yellow; the JSON on stdout stays plain', async () => {
    const answer = ok([{ id: 1, name: 'x', thumbnail: '' }])
    fixture().stub('GET', '/public/v1/categories', answer)
    const result = await runKick(['categories', 'search', 'x'], {
      env: { ...loggedIn(), NO_COLOR: undefined, FORCE_COLOR: '1' },
    })
    expect(result.code).toBe(0)
    expect(result.stderr.startsWith(`${ESC}33mWarning:${ESC}0m GET /public/v1/categories`)).toBe(true)
    expect(result.stdout).not.toContain(ESC)
    expect(JSON.parse(result.stdout)).toEqual([{ id: 1, name: 'x', thumbnail: '' }])
  })

  it('--json in a pipe with FORCE_COLOR and CLICOLOR_FORCE: plain JSON, byte for byte', async () => {
    fixture().stub('GET', '/public/v1/users', ok([USER]))
    const result = await runKick(['users', 'get', '--json'], {
      env: { ...loggedIn(), NO_COLOR: undefined, FORCE_COLOR: '1', CLICOLOR_FORCE: '1' },
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${JSON.stringify([USER], null, 2)}\n`)
  })

  it('a table at a terminal: a cyan header; none with NO_COLOR (FORCE_COLOR or not) or FORCE_COLOR=0', async () => {
    const table = async (env: Record<string, string | undefined>) => {
      fixture().stub('GET', '/public/v1/users', ok([USER]))
      const result = await runKick(['users', 'get'], {
        env: { ...loggedIn(), TERM: 'xterm-256color', NO_COLOR: undefined, ...env },
        terminal: true,
      })
      expect(result.code, result.stdout).toBe(0)
      expect(result.stdout).toMatch(/│ ada +│/)
      return result.stdout
    }
    expect(await table({})).toContain(`${ESC}36mID${ESC}0m`)
    for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '1' }, { FORCE_COLOR: '0' }])
      expect(await table(env), JSON.stringify(env)).not.toContain(ESC)
  })
})
