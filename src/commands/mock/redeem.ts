import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { ViewerRedeemAnswer } from '../../mock/control.js'

export default class MockRedeem extends KickCommand<typeof MockRedeem> {
  static summary = 'Redeem a reward as a viewer in the running mock: a pending redemption to accept or reject'
  static description = `Any reward of the mock, seeded or created through the API (\`kick rewards create\`). The \
redemption is pending in \`kick redemptions list\` (accepted at once when the reward skips the queue) and goes to \
the subscriptions for channel.reward.redemption.updated. Finds the mock through KICK_API_URL (the lines \
\`kick mock start\` prints). A --user the mock does not know joins as a new viewer. Same as POST /mock/redeem.`

  static examples = [
    '<%= config.bin %> mock redeem 01KBHE78QE4HZY1617DK5FC7YD',
    '<%= config.bin %> mock redeem 01KBHE78QE4HZY1617DK5FC7YD --user chatter_two --input "https://youtu.be/…"',
  ]

  static args = {
    'reward-id': Args.string({
      description: 'the reward to redeem (see `kick rewards list`)',
      required: true,
    }),
  }

  static flags = {
    user: Flags.string({ description: "the viewer's username (default: chatter_one)" }),
    input: Flags.string({ description: "the viewer's text, for rewards that ask for it" }),
  }

  async run(): Promise<ViewerRedeemAnswer> {
    const { callRunningMock, undeliveredNote } = await import('../../mock/remote.js')
    const answer = await callRunningMock<ViewerRedeemAnswer>('/mock/redeem', {
      reward_id: this.args['reward-id'],
      user: this.flags.user,
      user_input: this.flags.input,
    })
    this.done(
      `${answer.redeemer.username} redeemed "${answer.reward.title}": redemption ${answer.id} ${answer.status}`,
    )
    if (answer.deliveries === 0) {
      this.note(undeliveredNote('channel.reward.redemption.updated', answer.broadcaster_user_id))
    }
    return answer
  }
}
