import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { KickError, UsageError } from '../../errors.js'
import { broadcasterIdFlag } from '../../flags.js'
import { EVENT_TYPES, isEventType } from '../../kick/events.js'
import type { SubscribeResult } from '../../kick/types.js'

export default class EventsSubscribe extends KickCommand<typeof EventsSubscribe> {
  static summary = "Subscribe your app's webhook to events of a channel"
  static description = `Kick delivers the events to the Webhook URL set in your app's settings (Kick has no API for it). \
Events: ${EVENT_TYPES.join(', ')}.

Kick sometimes answers 200 for a subscription it does not keep, so the command lists the app's subscriptions \
right after and exits 1 naming each one Kick does not list; --no-verify skips that extra request.`

  static examples = [
    '<%= config.bin %> events subscribe chat.message.sent channel.followed',
    '<%= config.bin %> events subscribe kicks.gifted --broadcaster-id 721956',
  ]

  static strict = false
  // for shell completion: the event types, checked by the command itself
  static completions: CompletionValues = { event: EVENT_TYPES }

  static args = {
    event: Args.string({ description: 'event type (one or more)', required: true }),
  }

  static flags = {
    'broadcaster-id': broadcasterIdFlag,
    'event-version': Flags.integer({ description: 'event version', default: 1, min: 1 }),
    'no-verify': Flags.boolean({
      description: "don't list the subscriptions afterwards to check that Kick kept them",
    }),
  }

  async run(): Promise<SubscribeResult[]> {
    const names = this.positionals
    const unknown = names.filter((name) => !isEventType(name))
    if (unknown.length) {
      throw new UsageError(`unknown event ${unknown.join(', ')}: choose from ${EVENT_TYPES.join(', ')}`)
    }
    const version = this.flags['event-version']
    const broadcaster = await this.broadcasterId(this.flags['broadcaster-id'])
    const kick = await this.kick()
    const { createSubscriptions, notKeptLine, notKeptMessage, subscriptionsNotKept } =
      await import('../../kick/subscriptions.js')
    const data = await createSubscriptions(kick, [...new Set(names)], {
      version,
      broadcasterUserId: broadcaster,
    })
    await this.table(data, [
      { header: 'EVENT', get: (result) => result.name },
      { header: 'VERSION', get: (result) => result.version },
      { header: 'SUBSCRIPTION ID', get: (result) => result.subscription_id },
      { header: 'ERROR', get: (result) => result.error },
    ])
    // Kick answers 200 even when some events failed: each carries its own `error`.
    const failed = data.filter((result) => result.error)
    if (failed.length) {
      if (this.jsonEnabled()) this.logJson(data)
      const reasons = failed.map((result) => `${result.name}: ${result.error}`).join('; ')
      throw new KickError(`Kick refused ${failed.length} of ${data.length} subscriptions (${reasons})`)
    }
    if (this.flags['no-verify']) return data
    const notKept = await subscriptionsNotKept(kick, data)
    if (notKept.length) {
      if (this.jsonEnabled()) this.logJson(data)
      for (const result of notKept) this.note(notKeptLine(result))
      throw new KickError(notKeptMessage(notKept.length, data.length))
    }
    return data
  }
}
