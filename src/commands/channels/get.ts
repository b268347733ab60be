import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { ApiError, AuthError } from '../../errors.js'
import { checkChannelSlugs } from '../../kick/limits.js'
import type { Channel } from '../../kick/types.js'

export default class ChannelsGet extends KickCommand<typeof ChannelsGet> {
  static summary = 'Get channels by slug or broadcaster id, or your own'
  static description =
    'Kick answers unknown channels with an empty list, so this exits 1 naming every slug or id that did not ' +
    'come back (the ones found are still printed). Long lists are sent 25 at a time and merged in order.'

  static examples = [
    '<%= config.bin %> channels get',
    '<%= config.bin %> channels get --slug xqc --slug trainwreckstv --json',
    '<%= config.bin %> channels get --broadcaster-id 668',
  ]

  static flags = {
    slug: Flags.string({
      description: 'channel slug, up to 25 characters (repeatable)',
      multiple: true,
      exclusive: ['broadcaster-id'],
    }),
    'broadcaster-id': Flags.integer({
      description: "broadcaster's user id (repeatable)",
      multiple: true,
      min: 1,
    }),
  }

  async run(): Promise<Channel[]> {
    const slugs = unique(checkChannelSlugs(this.flags.slug ?? []), (slug) => slug.toLowerCase())
    const ids = unique(this.flags['broadcaster-id'] ?? [], String)
    const query = slugs.length ? { slug: slugs } : ids.length ? { broadcaster_user_id: ids } : {}

    const kick = await this.kick()
    const { data } = await kick.call<Channel[]>('channelsGet', { query }).catch((error: unknown) => {
      // Without a slug or id Kick answers the token's own channel; an app token has none, and gets a 400
      // (`broadcaster_user_id is required for app tokens`, KDD#140)
      if (!slugs.length && !ids.length && error instanceof ApiError && error.status === 400)
        throw new AuthError(
          `an app token has no channel of its own (${error.message}): pass --slug or --broadcaster-id, or run ` +
            '`kick login --scopes channel:read` to see your own channel',
          error.body,
        )
      throw error
    })
    await this.table(data, [
      { header: 'ID', get: (channel) => channel.broadcaster_user_id },
      { header: 'SLUG', get: (channel) => channel.slug },
      { header: 'TITLE', get: (channel) => channel.stream_title },
      { header: 'CATEGORY', get: (channel) => channel.category?.name },
      { header: 'LIVE', get: (channel) => (channel.stream?.is_live ? 'yes' : 'no') },
      { header: 'VIEWERS', get: (channel) => channel.stream?.viewer_count },
    ])

    const foundSlugs = new Set(data.map((channel) => channel.slug?.toLowerCase()))
    const foundIds = new Set(data.map((channel) => channel.broadcaster_user_id))
    const missingSlugs = slugs.filter((slug) => !foundSlugs.has(slug.toLowerCase()))
    const missingIds = ids.filter((id) => !foundIds.has(id))
    if (missingSlugs.length || missingIds.length) {
      const what = missingSlugs.length
        ? `slug ${missingSlugs.join(', ')}`
        : `broadcaster id ${missingIds.join(', ')}`
      throw this.missing(
        data,
        `no channel found for ${what}: check the ${missingSlugs.length ? 'spelling' : 'id'} (Kick answers unknown channels with nothing)`,
      )
    }
    return data
  }
}

/** The first of each value, in order; `key` says when two are the same. */
function unique<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>()
  return values.filter((value) => {
    const name = key(value)
    if (seen.has(name)) return false
    seen.add(name)
    return true
  })
}
