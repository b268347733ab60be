import { KickCommand } from '../../base-command.js'

export default class LivestreamsStats extends KickCommand<typeof LivestreamsStats> {
  static summary = 'How many streams are live on Kick right now'
  static examples = ['<%= config.bin %> livestreams stats', '<%= config.bin %> livestreams stats --json']

  async run(): Promise<{ total_count: number }> {
    const kick = await this.kick()
    const { data } = await kick.call<{ total_count: number }>('livestreamsStats')
    this.summary({ live: data.total_count })
    return data
  }
}
