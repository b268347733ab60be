import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { setPayloadFlag } from '../../flags.js'
import { KickError, UsageError } from '../../errors.js'
import { EVENT_TYPES, isEventType } from '../../kick/events.js'
import { escapeControls } from '../../output/sanitize.js'
import type { TriggerResult } from '../../webhooks/trigger.js'

export default class WebhookTrigger extends KickCommand<typeof WebhookTrigger> {
  static summary = 'POST a signed sample event to a URL, as Kick would'
  static description = `Sends the event with all six Kick-Event-* headers, signed with the local development key (an \
RSA key generated on first use, kept in the config dir, mode 0600 on Linux and macOS), and prints the endpoint's status and body. \
\`kick listen --accept-dev-signatures\` accepts these signatures. Exit 1 when the endpoint answers an error. \
Events: ${EVENT_TYPES.join(', ')}.`

  static aliases = ['trigger']
  static examples = [
    '<%= config.bin %> trigger chat.message.sent --to http://localhost:3000/webhooks/kick',
    '<%= config.bin %> trigger kicks.gifted --to http://127.0.0.1:8080/ --set gift.amount=500 --set sender.username=bob',
  ]

  // for shell completion: the event types, checked by the command itself
  static completions: CompletionValues = { event: EVENT_TYPES }

  static args = {
    event: Args.string({ description: 'event type', required: true }),
  }

  static flags = {
    to: Flags.string({ description: 'URL to POST the event to', required: true }),
    'broadcaster-id': Flags.integer({ description: "the payload's broadcaster user id", min: 1 }),
    set: setPayloadFlag,
    count: Flags.integer({ description: 'send this many (each a fresh message id)', min: 1, default: 1 }),
  }

  async run(): Promise<TriggerResult[]> {
    const { event } = this.args
    const flags = this.flags
    if (!isEventType(event))
      throw new UsageError(`unknown event ${event}: choose from ${EVENT_TYPES.join(', ')}`)
    if (!/^https?:\/\/[^/]/.test(flags.to)) throw new UsageError(`--to ${flags.to}: expected an http(s) URL`)
    const [{ parseSetPairs, samplePayloadFor, signedDelivery, postDelivery }, { loadDevKey }] =
      await Promise.all([import('../../webhooks/trigger.js'), import('../../webhooks/dev-key.js')])
    const set = parseSetPairs(flags.set ?? [])
    // validated once before anything is sent
    samplePayloadFor(event, { broadcasterUserId: flags['broadcaster-id'], set })
    const { privateKey } = await loadDevKey()

    const results: TriggerResult[] = []
    for (let i = 0; i < flags.count; i++) {
      const payload = samplePayloadFor(event, { broadcasterUserId: flags['broadcaster-id'], set })
      let result: TriggerResult
      try {
        result = await postDelivery(
          flags.to,
          event,
          signedDelivery(privateKey, { type: event, body: JSON.stringify(payload) }),
        )
      } catch (error) {
        if (results.length && this.jsonEnabled()) this.logJson(results)
        throw new KickError(
          `${(error as Error).message}${results.length ? ` after ${results.length} sent` : ''}`,
        )
      }
      results.push(result)
      if (!this.jsonEnabled())
        this.log(
          `${result.status} ${event} ${result.id}${result.body ? ` ${escapeControls(result.body.trimEnd())}` : ''}`,
        )
    }
    const failed = results.filter((result) => result.status >= 300)
    if (failed.length) {
      if (this.jsonEnabled()) this.logJson(results)
      // the usual 401: a `kick listen` that trusts only Kick's key
      const hint = failed.some((result) => result.status === 401)
        ? ': kick trigger signs with the local development key, which `kick listen` accepts only with --accept-dev-signatures'
        : ''
      throw new KickError(
        `${flags.to} answered ${failed[0]!.status} to ${failed.length} of ${results.length} deliveries${hint}`,
      )
    }
    return results
  }
}
