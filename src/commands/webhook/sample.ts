import { Args } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { UsageError } from '../../errors.js'
import { EVENT_TYPES, isEventType, samplePayload } from '../../kick/events.js'

export default class WebhookSample extends KickCommand<typeof WebhookSample> {
  static summary = 'Print a realistic sample payload of an event type'
  static description = `Event types: ${EVENT_TYPES.join(', ')}.`
  static examples = [
    '<%= config.bin %> webhook sample chat.message.sent',
    '<%= config.bin %> webhook sample kicks.gifted | jq .gift',
  ]

  // for shell completion: the event types, checked by the command itself
  static completions: CompletionValues = { event: EVENT_TYPES }

  static args = {
    event: Args.string({ description: 'event type', required: true }),
  }

  async run(): Promise<Record<string, unknown>> {
    const event = this.args.event
    if (!isEventType(event))
      throw new UsageError(`unknown event ${event}: choose from ${EVENT_TYPES.join(', ')}`)
    const payload = samplePayload(event)
    // JSON is the only sensible form of a payload: pretty-printed in a terminal, as oclif prints --json.
    if (!this.jsonEnabled()) this.log(JSON.stringify(payload, null, 2))
    return payload
  }
}
