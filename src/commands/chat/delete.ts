import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { yesFlag } from '../../flags.js'
import { checkUuid } from '../../kick/limits.js'

export default class ChatDelete extends KickCommand<typeof ChatDelete> {
  static summary = 'Delete a chat message (as a moderator of its channel)'
  static examples = ['<%= config.bin %> chat delete 5138d04d-68f8-4eca-aa65-93123f6f97fe --yes']

  static args = {
    'message-id': Args.string({
      description: 'the message id (a UUID, e.g. from `kick listen`)',
      required: true,
    }),
  }

  static flags = { yes: yesFlag }

  async run(): Promise<{ deleted: string }> {
    const id = checkUuid('message id', this.args['message-id'])
    await this.confirm(`Delete chat message ${id}?`, this.flags.yes)
    const kick = await this.kick()
    await kick.call('chatDelete', { params: { message_id: id } })
    this.done(`Deleted chat message ${id}`)
    return { deleted: id }
  }
}
