import { describe, expect, it } from 'vitest'

import { UsageError } from '../../src/errors.js'
import {
  apiEndpoint,
  fieldsToForm,
  fieldsToJson,
  fieldsToQuery,
  pageOfBody,
  parseField,
  parseHeader,
  resolveApiPath,
} from '../../src/kick/api-request.js'
import { endpoints } from '../../src/kick/endpoints.js'

const readers = { file: (path: string) => `file:${path}`, stdin: () => 'stdin text' }

describe('resolveApiPath', () => {
  it.each([
    ['users', 'api', '/public/v1/users', ''],
    ['/users', 'api', '/public/v1/users', ''],
    ['channels/rewards/01K?x=1&x=2', 'api', '/public/v1/channels/rewards/01K', 'x=1&x=2'],
    ['/public/v2/livestreams', 'api', '/public/v2/livestreams', ''],
    ['public/v2/categories?limit=5', 'api', '/public/v2/categories', 'limit=5'],
    ['/oauth/token/introspect', 'auth', '/oauth/token/introspect', ''],
  ])('%s → %s %s ?%s', (input, host, path, query) => {
    const target = resolveApiPath(input)
    expect([target.host, target.path, target.query.toString()]).toEqual([host, path, query])
  })

  it.each(['https://api.kick.com/public/v1/users', 'HTTP://x/y', '/', ''])('refuses %j', (input) => {
    expect(() => resolveApiPath(input)).toThrow(UsageError)
  })
})

describe('parseField', () => {
  it('-f keeps every value a string, even ones that look typed', () => {
    expect(['a=1', 'b=true', 'c=@x', 'd=', 'e=x=y'].map((arg) => parseField(arg, false, readers))).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'true' },
      { key: 'c', value: '@x' },
      { key: 'd', value: '' },
      { key: 'e', value: 'x=y' },
    ])
  })

  it('-F reads JSON literals, numbers, @file and @-', () => {
    const values = [
      'a=true',
      'b=false',
      'c=null',
      'd=42',
      'e=-1.5',
      'f=007',
      'g=1e3',
      'h=@notes.txt',
      'i=@-',
      'j=text',
    ]
    expect(values.map((arg) => parseField(arg, true, readers).value)).toEqual([
      true,
      false,
      null,
      42,
      -1.5,
      '007',
      '1e3',
      'file:notes.txt',
      'stdin text',
      'text',
    ])
  })

  it.each(['novalue', '=x'])('refuses %j', (arg) => {
    expect(() => parseField(arg, true, readers)).toThrow(UsageError)
  })
})

describe('fields to query, JSON and form', () => {
  const fields = [
    { key: 'id', value: 1 },
    { key: 'id', value: 2 },
    { key: 'tags[]', value: 'a' },
    { key: 'title', value: 'hi' },
    { key: 'clear', value: null },
  ]

  it('query: repeated keys repeat, key[] is key, null is empty, appended after what PATH had', () => {
    expect(fieldsToQuery(fields, new URLSearchParams('x=0')).toString()).toBe(
      'x=0&id=1&id=2&tags=a&title=hi&clear=',
    )
  })

  it('JSON: repeated keys and key[] collect arrays, the rest stay scalar and typed', () => {
    expect(fieldsToJson(fields)).toEqual({ id: [1, 2], tags: ['a'], title: 'hi', clear: null })
  })

  it('form: strings', () => {
    expect(
      fieldsToForm([
        { key: 'token', value: 'x' },
        { key: 'n', value: 3 },
      ]),
    ).toEqual({ token: 'x', n: '3' })
  })
})

describe('parseHeader', () => {
  it('splits at the first colon and trims', () => {
    expect(parseHeader('X-Trace:  a:b ')).toEqual(['X-Trace', 'a:b'])
  })

  it.each(['NoColon', ': value', 'Bad Name: v'])('refuses %j', (arg) => {
    expect(() => parseHeader(arg)).toThrow(UsageError)
  })
})

describe('pageOfBody', () => {
  it('reads data[] with pagination.next_cursor', () => {
    expect(pageOfBody({ data: [1, 2], pagination: { next_cursor: 'n' } })).toEqual({
      items: [1, 2],
      cursor: 'n',
    })
    expect(pageOfBody({ data: [1], pagination: { next_cursor: '' } })).toEqual({
      items: [1],
      cursor: undefined,
    })
    expect(pageOfBody({ data: [] })).toEqual({ items: [], cursor: undefined })
  })

  it('reads the list beside data.cursor (drops claims)', () => {
    expect(pageOfBody({ data: { claims: [{ claim_id: 'a' }], cursor: 'a' } })).toEqual({
      items: [{ claim_id: 'a' }],
      cursor: 'a',
    })
  })

  it('answers undefined for anything that is not a list', () => {
    expect(pageOfBody({ data: { total_count: 1 } })).toBeUndefined()
    expect(pageOfBody({ data: { cursor: 'x' } })).toBeUndefined()
    expect(pageOfBody('text')).toBeUndefined()
    expect(pageOfBody(undefined)).toBeUndefined()
  })
})

describe('apiEndpoint', () => {
  const target = resolveApiPath('future/endpoint')

  it("keeps the table's rules without --app", () => {
    expect(apiEndpoint(endpoints.chatSend, target, 'POST', false)).toBe(endpoints.chatSend)
    expect(apiEndpoint(undefined, target, 'GET', false)).toBeUndefined()
  })

  it('--app asks for an app token, for known and unknown paths', () => {
    expect(apiEndpoint(endpoints.eventsList, target, 'GET', true)).toEqual({
      ...endpoints.eventsList,
      token: 'app',
    })
    expect(apiEndpoint(undefined, target, 'GET', true)).toMatchObject({
      method: 'GET',
      host: 'api',
      path: '/public/v1/future/endpoint',
      token: 'app',
      scopes: [],
    })
  })
})
