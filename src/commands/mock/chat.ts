import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { ViewerChatAnswer } from '../../mock/control.js'

export default class MockChat extends KickCommand<typeof MockChat> {
  static summary = "Post a viewer's chat message in the running mock, delivered as chat.message.sent"
  static description = `For testing a bot's reply loop: the message goes to the subscriptions for chat.message.sent, \
as the bot's own messages sent through the API do. Finds the mock through KICK_API_URL (the lines \`kick mock start\` \
prints). A --user the mock does not know joins as a new viewer. Same as POST /mock/chat.`

  static examples = [
    '<%= config.bin %> mock chat "!uptime"',
    '<%= config.bin %> mock chat "hello bot" --user chatter_two',
    '<%= config.bin %> mock chat "@mockstreamer nice" --user newcomer --broadcaster-id 100001',
  ]

  static args = {
    text: Args.string({ description: 'the message (up to 500 characters)', required: true }),
  }

  static flags = {
    user: Flags.string({ description: "the viewer's username (default: chatter_one)" }),
    'broadcaster-id': Flags.integer({
      description: "the channel's broadcaster user id (default: the mock's login user)",
      min: 1,
    }),
    'reply-to': Flags.string({ description: 'the message id this one replies to' }),
  }

  async run(): Promise<ViewerChatAnswer> {
    const { callRunningMock, undeliveredNote } = await import('../../mock/remote.js')
    const answer = await callRunningMock<ViewerChatAnswer>('/mock/chat', {
      content: this.args.text,
      user: this.flags.user,
      broadcaster_user_id: this.flags['broadcaster-id'],
      reply_to_message_id: this.flags['reply-to'],
    })
    this.done(
      `${answer.sender.username} (${answer.sender.user_id}) said in channel ${answer.broadcaster_user_id}: ` +
        `message ${answer.message_id}`,
    )
    if (answer.deliveries === 0) {
      this.note(undeliveredNote('chat.message.sent', answer.broadcaster_user_id))
    }
    return answer
  }
}
