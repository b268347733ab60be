import { Flags } from '@oclif/core'

import { KickCommand, UsageError } from '../../base-command.js'
import { checkTags } from '../../kick/limits.js'

/** What was sent to Kick (it answers 204 with no body), so scripts can see what changed. */
export interface ChannelUpdate {
  updated: { stream_title?: string; category_id?: number; custom_tags?: string[] }
}

export default class ChannelsUpdate extends KickCommand<typeof ChannelsUpdate> {
  static summary = "Update your channel's stream title, category or tags"
  static examples = [
    '<%= config.bin %> channels update --title "Speedrunning all night" --category-id 15',
    '<%= config.bin %> channels update --tag english --tag chill',
    '<%= config.bin %> channels update --clear-tags',
  ]

  static flags = {
    title: Flags.string({ description: 'stream title' }),
    'category-id': Flags.integer({ description: 'category id (see `kick categories list`)', min: 1 }),
    tag: Flags.string({
      description: 'custom tag (repeatable); replaces all current tags',
      multiple: true,
      exclusive: ['clear-tags'],
    }),
    'clear-tags': Flags.boolean({ description: 'remove every custom tag' }),
  }

  async run(): Promise<ChannelUpdate> {
    const { title, 'category-id': categoryId, tag, 'clear-tags': clearTags } = this.flags
    const changes: ChannelUpdate['updated'] = {}
    if (title !== undefined) changes.stream_title = title
    if (categoryId !== undefined) changes.category_id = categoryId
    if (tag?.length) changes.custom_tags = checkTags(tag)
    if (clearTags) changes.custom_tags = []
    if (Object.keys(changes).length === 0) {
      throw new UsageError('nothing to change: pass --title, --category-id, --tag or --clear-tags')
    }

    const kick = await this.kick()
    await kick.call('channelsUpdate', { body: changes })
    this.done(`Updated the channel: ${describeChanges(changes)}`)
    return { updated: changes }
  }
}

function describeChanges(changes: ChannelUpdate['updated']): string {
  const parts: string[] = []
  if (changes.stream_title !== undefined) parts.push(`title ${JSON.stringify(changes.stream_title)}`)
  if (changes.category_id !== undefined) parts.push(`category ${changes.category_id}`)
  if (changes.custom_tags)
    parts.push(changes.custom_tags.length ? `tags ${changes.custom_tags.join(', ')}` : 'no tags')
  return parts.join(', ')
}
