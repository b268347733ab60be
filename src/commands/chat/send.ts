import { Args, Flags } from '@oclif/core'

import { KickCommand, UsageError } from '../../base-command.js'
import { KickError } from '../../errors.js'
import { broadcasterIdFlag } from '../../flags.js'
import { checkChatMessage, checkUuid } from '../../kick/limits.js'

interface ChatSent {
  is_sent: boolean
  message_id: string
}

export default class ChatSend extends KickCommand<typeof ChatSend> {
  static summary = 'Send a chat message as yourself or as your app’s bot'
  static description =
    'As a user (the default) the message goes to --broadcaster-id, else the configured broadcaster, else ' +
    'your own channel. As a bot it always goes to the channel attached to the token.'

  static examples = [
    '<%= config.bin %> chat send "hello chat"',
    '<%= config.bin %> chat send "gg" --broadcaster-id 668 --reply-to 5138d04d-68f8-4eca-aa65-93123f6f97fe',
    '<%= config.bin %> chat send "!uptime is 3h" --type bot',
  ]

  static args = {
    message: Args.string({ description: 'the message, 1 to 500 characters', required: true }),
  }

  static flags = {
    'broadcaster-id': broadcasterIdFlag,
    type: Flags.string({
      description: 'send as the user or as the bot',
      options: ['user', 'bot'],
      default: 'user',
    }),
    'reply-to': Flags.string({ description: 'id of the chat message to reply to (a UUID)' }),
  }

  async run(): Promise<ChatSent> {
    const { type, 'broadcaster-id': broadcasterFlag, 'reply-to': replyTo } = this.flags
    const content = checkChatMessage(this.args.message)
    if (replyTo !== undefined) checkUuid('--reply-to', replyTo)
    if (type === 'bot' && broadcasterFlag !== undefined) {
      throw new UsageError(
        '--broadcaster-id is for --type user: a bot always sends to the channel of its token',
      )
    }
    const body = {
      type,
      content,
      broadcaster_user_id: type === 'user' ? await this.broadcasterId(broadcasterFlag) : undefined,
      reply_to_message_id: replyTo,
    }
    const kick = await this.kick()
    const { data } = await kick.call<ChatSent>('chatSend', { body })
    if (!data?.is_sent) {
      if (this.jsonEnabled()) this.logJson(data)
      throw new KickError('Kick answered OK but did not send the message (is_sent: false)')
    }
    this.summary({ sent: 'yes', 'message id': data.message_id })
    return data
  }
}
