import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { UsageError } from '../../errors.js'
import type { Category } from '../../kick/types.js'

export default class CategoriesGet extends KickCommand<typeof CategoriesGet> {
  static summary = 'Get one category: name, tags, viewers'
  static examples = ['<%= config.bin %> categories get 15']

  static args = {
    // A string checked in run(): oclif's own integer check fails as a plain error (exit 1), not a usage error.
    id: Args.string({ description: 'category id', required: true }),
  }

  async run(): Promise<Category> {
    if (!/^[1-9]\d*$/.test(this.args.id))
      throw new UsageError(`category id must be a positive integer, not "${this.args.id}"`)
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
