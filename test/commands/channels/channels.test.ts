import { describe, expect, it } from 'vitest'

import { ok, type RecordedRequest } from '../../helpers/fixture-server.js'
import { expectRejectedBeforeAnyRequest, lines, useFixtureKick } from '../../helpers/fixture-kick.js'
import { runKick } from '../../helpers/run-kick.js'
import { withMockProcess } from '../../mock/mock-process.js'

/** A channel as Kick answers it (REFERENCE §2.2), trimmed to what a test needs to tell them apart. */
function channel(slug: string, id: number) {
  return {
    broadcaster_user_id: id,
    slug,
    channel_description: '',
    banner_picture: '',
    stream_title: `${slug} live`,
    category: { id: 15, name: 'Just Chatting', thumbnail: '' },
    stream: { is_live: false, viewer_count: 0, custom_tags: [] },
  }
}

/** Answers each slug it is asked for, in the order asked (what Kick does for channels that exist). */
function answerSlugs(request: RecordedRequest) {
  return ok(request.query.getAll('slug').map((slug) => channel(slug, Number(slug.slice(1)))))
}

describe('kick channels get', () => {
  const { fixture, kick } = useFixtureKick()

  it('asks for each --slug as a repeated query key and prints the channels', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('xqc', 668), channel('adin', 2)]))
    const result = await kick(['channels', 'get', '--slug', 'xqc', '--slug', 'adin'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([channel('xqc', 668), channel('adin', 2)])
    const [request] = fixture().requests
    expect(request!.method).toBe('GET')
    expect([...request!.query]).toEqual([
      ['slug', 'xqc'],
      ['slug', 'adin'],
    ])
  })

  it('asks for --broadcaster-id as broadcaster_user_id', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('xqc', 668)]))
    const result = await kick(['channels', 'get', '--broadcaster-id', '668'])
    expect(result.code).toBe(0)
    expect([...fixture().requests[0]!.query]).toEqual([['broadcaster_user_id', '668']])
  })

  it('without flags asks for your own channel', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('me', 1)]))
    const result = await kick(['channels', 'get'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([channel('me', 1)])
    expect([...fixture().requests[0]!.query]).toEqual([])
  })

  it('exits 1 naming every slug Kick left out, and still prints the ones it found', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('xqc', 668), channel('adin', 2)]))
    const result = await kick([
      'channels',
      'get',
      '--slug',
      'xqc',
      '--slug',
      'nosuch1',
      '--slug',
      'adin',
      '--slug',
      'NoSuch2',
    ])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual([channel('xqc', 668), channel('adin', 2)])
    expect(lines(result.stderr)).toEqual([
      'Error: no channel found for slug nosuch1, NoSuch2: check the spelling (Kick answers unknown channels with nothing)',
    ])
  })

  it('exits 1 naming a broadcaster id Kick left out, even when nothing came back', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([]))
    const result = await kick(['channels', 'get', '--broadcaster-id', '999999'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual([])
    expect(lines(result.stderr)).toEqual([
      'Error: no channel found for broadcaster id 999999: check the id (Kick answers unknown channels with nothing)',
    ])
  })

  it('does not report a slug as missing when Kick answers it in another case', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('xqc', 668)]))
    const result = await kick(['channels', 'get', '--slug', 'xQc'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('splits 60 slugs into requests of 25, 25 and 10 and merges the answers in order', async () => {
    const slugs = Array.from({ length: 60 }, (_, i) => `s${i + 1}`)
    fixture().stub('GET', '/public/v1/channels', answerSlugs, answerSlugs, answerSlugs)
    const result = await kick(['channels', 'get', ...slugs.flatMap((slug) => ['--slug', slug])])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(fixture().requests.map((request) => request.query.getAll('slug'))).toEqual([
      slugs.slice(0, 25),
      slugs.slice(25, 50),
      slugs.slice(50),
    ])
    expect((JSON.parse(result.stdout) as { slug: string }[]).map((found) => found.slug)).toEqual(slugs)
  })

  it('asks once for a slug given twice', async () => {
    fixture().stub('GET', '/public/v1/channels', ok([channel('xqc', 668)]))
    const result = await kick(['channels', 'get', '--slug', 'xqc', '--slug', 'XQC'])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.query.getAll('slug')).toEqual(['xqc'])
  })

  it.each([
    [
      ['--slug', 'xqc', '--broadcaster-id', '668'],
      /--broadcaster-id=668 cannot also be provided when using --slug/,
    ],
    [['--slug', 'a'.repeat(26)], /--slug "a{26}" is 26 characters long; Kick takes at most 25/],
    [['--slug', ''], /--slug "" must not be empty/],
    [['--broadcaster-id', '0'], /broadcaster-id/],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['channels', 'get', ...args]), fixture(), message)
  })
})

describe('kick channels update', () => {
  const { fixture, kick } = useFixtureKick()

  it('PATCHes title, category and tags, and confirms what it sent', async () => {
    fixture().stub('PATCH', '/public/v1/channels', { status: 204 })
    const result = await kick([
      'channels',
      'update',
      '--title',
      'Speedrunning all night',
      '--category-id',
      '15',
      '--tag',
      'english',
      '--tag',
      'chill',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const [request] = fixture().requests
    expect(request!.method).toBe('PATCH')
    expect(request!.headers['content-type']).toMatch(/^application\/json/)
    expect(request!.json).toEqual({
      stream_title: 'Speedrunning all night',
      category_id: 15,
      custom_tags: ['english', 'chill'],
    })
    expect(JSON.parse(result.stdout)).toEqual({
      updated: { stream_title: 'Speedrunning all night', category_id: 15, custom_tags: ['english', 'chill'] },
    })
  })

  it('--clear-tags sends an empty custom_tags list and nothing else', async () => {
    fixture().stub('PATCH', '/public/v1/channels', { status: 204 })
    const result = await kick(['channels', 'update', '--clear-tags'])
    expect(result.code).toBe(0)
    expect(fixture().requests[0]!.body).toBe('{"custom_tags":[]}')
    expect(JSON.parse(result.stdout)).toEqual({ updated: { custom_tags: [] } })
  })

  it('names the scope when Kick refuses for a missing one (KICK_ACCESS_TOKEN: no kick login advice)', async () => {
    fixture().stub('PATCH', '/public/v1/channels', {
      status: 403,
      json: { data: 'missing scope channel:write', message: 'Forbidden' },
    })
    const result = await kick(['channels', 'update', '--title', 'x'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'Error: Kick refused the request (403 Forbidden: missing scope channel:write): the token in KICK_ACCESS_TOKEN lacks the channel:write scope: use one that has it',
    ])
  })

  it.each([
    [[], 'Error: nothing to change: pass --title, --category-id, --tag or --clear-tags'],
    [
      ['--tag', 'a', '--clear-tags'],
      'Error: --clear-tags=true cannot also be provided when using --tag: see `kick channels update --help`',
    ],
    [['--tag', ''], 'Error: --tag must not be empty'],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    expectRejectedBeforeAnyRequest(await kick(['channels', 'update', ...args]), fixture(), message)
  })
})

describe('kick channels get with an app token, against the mock', () => {
  it('without --slug or --broadcaster-id: Kick’s 400 becomes a clear exit 4; with one it works', async () => {
    await withMockProcess([], async (_mock, env) => {
      const own = await runKick(['channels', 'get'], { env })
      expect(own.code).toBe(4)
      expect(own.stdout).toBe('')
      expect(own.stderr.trim().split('\n').at(-1)).toBe(
        'Error: an app token has no channel of its own (Kick answered 400 Bad Request: broadcaster_user_id is ' +
          'required for app tokens): pass --slug or --broadcaster-id, or run `kick login --scopes channel:read` ' +
          'to see your own channel',
      )
      const bySlug = await runKick(['channels', 'get', '--slug', 'mockstreamer'], { env })
      expect(bySlug.code, bySlug.stderr).toBe(0)
      expect(JSON.parse(bySlug.stdout)).toEqual([expect.objectContaining({ slug: 'mockstreamer' })])
    })
  })
})
