import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { UsageError } from '../../errors.js'
import { cursorFlags } from '../../flags.js'
import { endpoints } from '../../kick/endpoints.js'
import type { LivestreamV1, LivestreamV2 } from '../../kick/types.js'

export default class LivestreamsList extends KickCommand<typeof LivestreamsList> {
  static summary = 'List live streams'
  static description = `Uses GET /public/v2/livestreams (cursor-paged). --api-version 1, --broadcaster-id or --sort select \
the deprecated GET /public/v1/livestreams, which takes one category and one language and has no cursor.`

  static examples = [
    '<%= config.bin %> livestreams list --category-id 15 --language en --limit 50',
    '<%= config.bin %> livestreams list --paginate --json',
    '<%= config.bin %> livestreams list --broadcaster-id 30111 --broadcaster-id 721956',
  ]

  static flags = {
    'category-id': Flags.integer({
      description: 'only this category (repeatable with v2)',
      multiple: true,
      min: 1,
    }),
    language: Flags.string({
      description: 'only this language code, e.g. en (repeatable with v2)',
      multiple: true,
    }),
    ...cursorFlags(endpoints.livestreamsList.limit),
    'api-version': Flags.string({
      description: 'API version (1 is deprecated by Kick)',
      options: ['1', '2'],
    }),
    'broadcaster-id': Flags.integer({
      description: "only these broadcasters' streams (repeatable; v1 only)",
      multiple: true,
      min: 1,
    }),
    sort: Flags.string({ description: 'order (v1 only)', options: ['viewer_count', 'started_at'] }),
  }

  async run(): Promise<LivestreamV1[] | LivestreamV2[] | undefined> {
    const { flags } = this
    const v1Only = [flags['broadcaster-id'] && '--broadcaster-id', flags.sort && '--sort'].filter(Boolean)
    const v1 = flags['api-version'] === '1' || v1Only.length > 0
    if (!v1) {
      return this.list<LivestreamV2>(
        'livestreamsList',
        {
          query: {
            category_id: flags['category-id'],
            language_code: flags.language,
            limit: flags.limit,
            cursor: flags.cursor,
          },
        },
        flags.paginate,
        [
          { header: 'CHANNEL', get: (stream) => stream.channel?.slug },
          { header: 'TITLE', get: (stream) => stream.title },
          { header: 'CATEGORY', get: (stream) => stream.category?.name },
          { header: 'VIEWERS', get: (stream) => stream.viewer_count },
          { header: 'LANGUAGE', get: (stream) => stream.language_code },
          { header: 'STARTED', get: (stream) => stream.started_at },
        ],
      )
    }

    if (flags['api-version'] === '2')
      throw new UsageError(`the v2 endpoint has no ${v1Only.join(' or ')}: use --api-version 1`)
    for (const [flag, values] of [
      ['--category-id', flags['category-id']],
      ['--language', flags.language],
    ] as const) {
      if (values && values.length > 1)
        throw new UsageError(`the v1 endpoint takes one ${flag}, not ${values.length}`)
    }
    if (flags.cursor || flags.paginate) {
      throw new UsageError(
        'the v1 endpoint has no cursor: drop --cursor/--paginate or use v2 (no --broadcaster-id/--sort)',
      )
    }
    this.warning(
      `GET /public/v1/livestreams is deprecated by Kick since ${endpoints.livestreamsListV1.deprecated}; ` +
        'without --api-version 1, --broadcaster-id and --sort the v2 endpoint is used',
    )
    const kick = await this.kick()
    const { data } = await kick.call<LivestreamV1[]>('livestreamsListV1', {
      query: {
        broadcaster_user_id: flags['broadcaster-id'],
        category_id: flags['category-id']?.[0],
        language: flags.language?.[0],
        limit: flags.limit,
        sort: flags.sort,
      },
    })
    await this.table(data, [
      { header: 'CHANNEL', get: (stream) => stream.slug },
      { header: 'TITLE', get: (stream) => stream.stream_title },
      { header: 'CATEGORY', get: (stream) => stream.category?.name },
      { header: 'VIEWERS', get: (stream) => stream.viewer_count },
      { header: 'LANGUAGE', get: (stream) => stream.language },
      { header: 'STARTED', get: (stream) => stream.started_at },
    ])
    return data
  }
}
