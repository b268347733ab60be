import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { setPayloadFlag } from '../../flags.js'
import { UsageError } from '../../errors.js'
import { EVENT_TYPES, isEventType } from '../../kick/events.js'
import type { TriggerAnswer } from '../../mock/control.js'

export default class MockTrigger extends KickCommand<typeof MockTrigger> {
  static summary = 'Fire any event through the running mock, signed and delivered to its --webhook-url'
  static description = `Like \`twitch event trigger\`: the event's sample with the mock's users, to the subscriptions \
for it, or once when nothing subscribes. The mock delivers in the background and retries as Kick does. Finds the \
mock through KICK_API_URL (the lines \`kick mock start\` prints). Same as POST /mock/trigger/EVENT. \
Events: ${EVENT_TYPES.join(', ')}.`

  static examples = [
    '<%= config.bin %> mock trigger channel.followed',
    '<%= config.bin %> mock trigger kicks.gifted --set gift.amount=500 --set sender.username=bob',
  ]

  static args = {
    event: Args.string({ description: 'event type', required: true }),
  }

  static completions: CompletionValues = { event: EVENT_TYPES }

  static flags = {
    'broadcaster-id': Flags.integer({
      description: "the channel's broadcaster user id (default: the mock's login user)",
      min: 1,
    }),
    set: setPayloadFlag,
  }

  async run(): Promise<TriggerAnswer> {
    const { event } = this.args
    if (!isEventType(event))
      throw new UsageError(`unknown event ${event}: choose from ${EVENT_TYPES.join(', ')}`)
    const [{ callRunningMock }, { parseSetPairs }] = await Promise.all([
      import('../../mock/remote.js'),
      import('../../webhooks/trigger.js'),
    ])
    const set = Object.fromEntries(parseSetPairs(this.flags.set ?? []))
    const answer = await callRunningMock<TriggerAnswer>(`/mock/trigger/${encodeURIComponent(event)}`, {
      broadcaster_user_id: this.flags['broadcaster-id'],
      set,
    })
    this.done(`queued ${answer.event}`)
    return answer
  }
}
