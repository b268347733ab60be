import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { endpoints } from '../../kick/endpoints.js'
import type { Category } from '../../kick/types.js'

export default class CategoriesGet extends KickCommand<typeof CategoriesGet> {
  static summary =
    'Get one category: name, tags, viewers (deprecated Kick endpoint; prefer categories list --id)'
  static examples = ['<%= config.bin %> categories get 15']

  static args = {
    id: Args.integer({ description: 'category id', required: true, min: 1 }),
  }

  async run(): Promise<Category> {
    this.warning(
      `GET /public/v1/categories/{category_id} is deprecated by Kick since ${endpoints.categoriesGet.deprecated}: ` +
        'use `kick categories list --id ID`',
    )
    const kick = await this.kick()
    const { data } = await kick.call<Category>('categoriesGet', { params: { category_id: this.args.id } })
    this.summary({
      id: data.id,
      name: data.name,
      tags: data.tags,
      viewers: data.viewer_count,
      thumbnail: data.thumbnail,
    })
    return data
  }
}
