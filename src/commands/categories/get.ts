import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { Category } from '../../kick/types.js'

export default class CategoriesGet extends KickCommand<typeof CategoriesGet> {
  static summary = 'Get one category: name, tags, viewers'
  static examples = ['<%= config.bin %> categories get 15']

  static args = {
    id: Args.integer({ description: 'category id', required: true, min: 1 }),
  }

  async run(): Promise<Category> {
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
