import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { cursorFlags } from '../../flags.js'
import { endpoints } from '../../kick/endpoints.js'
import type { Category } from '../../kick/types.js'

export default class CategoriesList extends KickCommand<typeof CategoriesList> {
  static summary = 'List categories, optionally filtered by name, tag or id'
  static examples = [
    '<%= config.bin %> categories list --name "Just Chatting" --name Slots',
    '<%= config.bin %> categories list --tag fps --limit 100 --paginate --json',
  ]

  static flags = {
    name: Flags.string({ description: 'category name (repeatable)', multiple: true }),
    tag: Flags.string({ description: 'category tag (repeatable)', multiple: true }),
    id: Flags.integer({ description: 'category id (repeatable)', multiple: true, min: 1 }),
    ...cursorFlags(endpoints.categoriesList.limit),
  }

  async run(): Promise<Category[] | undefined> {
    const { flags } = this
    return this.list<Category>(
      'categoriesList',
      {
        // The v2 spec declares these arrays `collectionFormat: csv` (?name=a,b), not repeated keys.
        query: {
          name: flags.name?.join(','),
          tag: flags.tag?.join(','),
          id: flags.id?.join(','),
          limit: flags.limit,
          cursor: flags.cursor,
        },
      },
      flags.paginate,
      [
        { header: 'ID', get: (category) => category.id },
        { header: 'NAME', get: (category) => category.name },
        { header: 'TAGS', get: (category) => category.tags },
      ],
    )
  }
}
