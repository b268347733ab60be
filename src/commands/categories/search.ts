import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { endpoints } from '../../kick/endpoints.js'
import type { Category } from '../../kick/types.js'

export default class CategoriesSearch extends KickCommand<typeof CategoriesSearch> {
  static summary = 'Search categories by name (deprecated Kick endpoint; prefer categories list --name)'
  static examples = [
    '<%= config.bin %> categories search poker',
    '<%= config.bin %> categories search slots --page 2',
  ]

  static args = {
    query: Args.string({ description: 'text to search for', required: true }),
  }

  static flags = {
    page: Flags.integer({ description: 'result page (from 1)', min: 1 }),
  }

  async run(): Promise<Category[]> {
    this.warning(
      `GET /public/v1/categories is deprecated by Kick since ${endpoints.categoriesSearch.deprecated}: ` +
        'use `kick categories list --name NAME`',
    )
    const kick = await this.kick()
    const { data } = await kick.call<Category[]>('categoriesSearch', {
      query: { q: this.args.query, page: this.flags.page },
    })
    await this.table(data, [
      { header: 'ID', get: (category) => category.id },
      { header: 'NAME', get: (category) => category.name },
    ])
    return data
  }
}
