import { describe, expect, it } from 'vitest'

import { JqFilter } from '../../src/output/jq.js'
import { ok } from '../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, useFixtureKick } from '../helpers/fixture-kick.js'

const me = { user_id: 4242, name: 'fakestreamer', email: 'fake@example.com', profile_picture: '' }
const other = { user_id: 30111, name: 'inxxxxx', email: '', profile_picture: '' }

describe('--jq', () => {
  const { fixture, kick, kickInTerminal } = useFixtureKick()

  it('filters what --json prints: a string bare, numbers and objects compact, one result a line', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me, other]), ok([me, other]), ok([me, other]))
    const name = await kick(['users', 'get', '--jq', '.[0].name'])
    expect(name).toMatchObject({ code: 0, stdout: 'fakestreamer\n', stderr: '' })
    const each = await kick(['users', 'get', '--jq', '.[] | .user_id, .name'])
    expect(each.stdout).toBe('4242\nfakestreamer\n30111\ninxxxxx\n')
    const objects = await kick(['users', 'get', '--jq', '.[] | {id: .user_id}'])
    expect(objects.stdout).toBe('{"id":4242}\n{"id":30111}\n')
  })

  it('prints nothing (exit 0) for a filter with no result', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me]))
    const result = await kick(['users', 'get', '--jq', '.[] | select(.user_id == 1)'])
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
  })

  it('a filter that does not compile is exit 2 before any request, in one line', async () => {
    const bad = await kick(['users', 'get', '--jq', '.[0] |||'])
    expectRejectedBeforeAnyRequest(bad, fixture(), /^Error: --jq: syntax error, unexpected '\|'/)
    const unknown = await kick(['users', 'get', '--jq', 'nosuchfunction(1)'])
    expectRejectedBeforeAnyRequest(unknown, fixture(), /^Error: --jq: nosuchfunction\/1 is not defined/)
    // compiling never runs it: a filter that would fail or wait on input still compiles
    const api = await kick(['api', 'users', '--jq', '{'])
    expectRejectedBeforeAnyRequest(api, fixture(), /^Error: --jq: syntax error/)
  })

  it('a filter that fails on the data is exit 1 with jq’s reason, nothing on stdout', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me]))
    const result = await kick(['users', 'get', '--jq', '.[0].name.first'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'Error: --jq .[0].name.first: Cannot index string with string "first"',
    ])
  })

  it('is implied JSON for a one-value command: config get --jq', async () => {
    const result = await kick(['config', 'get', 'api-url', '--jq', '.source'], {
      KICK_API_URL: 'http://127.0.0.1:1',
    })
    expect(result).toMatchObject({ code: 0, stdout: 'env\n' })
  })

  it('at a terminal: JSON indented, a bare string made inert', async () => {
    const hostile = { ...me, name: 'evil\u001b]0;owned\u0007name' }
    fixture().stub('GET', '/public/v1/users', ok([hostile]), ok([hostile]))
    const name = await kickInTerminal(['users', 'get', '--jq', '.[0].name'])
    expect(name.code).toBe(0)
    expect(name.stdout).toBe('evil\\e]0;owned\\u0007name\n')
    const object = await kickInTerminal(['users', 'get', '--jq', '.[0] | {id: .user_id}'])
    expect(object.stdout).toBe('{\n  "id": 4242\n}\n')
  })

  it('kick api: over the whole body', async () => {
    fixture().stub('GET', '/public/v1/users', ok([me]))
    const result = await kick(['api', 'users', '--jq', '.data[0].user_id'])
    expect(result).toMatchObject({ code: 0, stdout: '4242\n', stderr: '' })
  })

  it('kick api: a body that is not JSON is exit 1 with jq’s reason', async () => {
    fixture().stub('GET', '/public/v1/users', { body: 'not json', headers: { 'content-type': 'text/plain' } })
    const result = await kick(['api', 'users', '--jq', '.data'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'Error: --jq .data: parse error: Invalid numeric literal at line 1, column 4',
    ])
  })

  it('kick api: a non-2xx body is printed as is, and the exit is 1', async () => {
    fixture().stub('GET', '/public/v1/users', { status: 404, json: { message: 'Not Found', data: [] } })
    const result = await kick(['api', 'users', '--jq', '.data[0].user_id'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({ message: 'Not Found', data: [] })
  })

  describe('with --paginate', () => {
    const page = (names: string[], next: string) =>
      ok(
        names.map((name, index) => ({ id: index, name })),
        { pagination: { next_cursor: next } },
      )

    it('a filter starting with .[] runs page by page: page 1 is out before page 2 fails', async () => {
      fixture().stub('GET', '/public/v2/categories', page(['Slots', 'Chess'], 'c2'), {
        status: 400,
        json: { message: 'bad cursor' },
      })
      const result = await kick(['categories', 'list', '--paginate', '--jq', '.[].name'])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('Slots\nChess\n')
      expect(result.stderr).toContain('bad cursor')
    })

    it('any other filter gets the whole list, collected first', async () => {
      fixture().stub(
        'GET',
        '/public/v2/categories',
        page(['Slots', 'Chess'], 'c2'),
        page(['Poker'], ''),
        page(['Slots', 'Chess'], 'c2'),
        { status: 400, json: { message: 'bad cursor' } },
      )
      const all = await kick(['categories', 'list', '--paginate', '--jq', 'map(.name) | join(",")'])
      expect(all).toMatchObject({ code: 0, stdout: 'Slots,Chess,Poker\n' })
      const failed = await kick(['categories', 'list', '--paginate', '--jq', 'length'])
      expect(failed.code).toBe(1)
      expect(failed.stdout).toBe('')
    })

    it('kick api --paginate: over the items of every page', async () => {
      fixture().stub('GET', '/public/v2/categories', page(['Slots', 'Chess'], 'c2'), page(['Poker'], ''))
      const result = await kick(['api', '/public/v2/categories', '--paginate', '--jq', '.[] | .name'])
      expect(result).toMatchObject({ code: 0, stdout: 'Slots\nChess\nPoker\n' })
    })
  })
})

describe('JqFilter', () => {
  it('knows which filters run item by item', async () => {
    const itemWise = ['.[]', '.[].name', ' .[] | select(.x)', '.[]?.a[0]', '.[]["id"] | tostring', '.[][]']
    const whole = ['length', '.[] , 1', '.[].a + length', '.[] |= 1', '.[] as $x | $x', '.[0]', 'map(.a)']
    for (const expression of itemWise)
      expect((await JqFilter.compile(expression)).itemWise, expression).toBe(true)
    for (const expression of whole)
      expect((await JqFilter.compile(expression)).itemWise, expression).toBe(false)
  })

  it('over pages says what it says over the whole list', async () => {
    const pages = [[{ a: 1 }, { a: 2 }], [], [{ a: 3 }]]
    async function* stream() {
      for (const page of pages) yield page
    }
    for (const expression of ['.[].a', '.[] | .a * 10', 'map(.a) | add', '.[-1]']) {
      const filter = await JqFilter.compile(expression)
      let paged = ''
      await filter.runPages(stream(), async (text) => void (paged += text))
      expect(paged, expression).toBe(filter.run(JSON.stringify(pages.flat())))
    }
  })
})
