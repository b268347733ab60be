import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { setPayloadFlag } from '../../flags.js'
import { KickError, UsageError } from '../../errors.js'
import { isHttpUrl } from '../../input/url.js'
import { EVENT_TYPES, isEventType } from '../../kick/events.js'
import { escapeControls } from '../../output/sanitize.js'
import type { TriggerResult } from '../../webhooks/trigger.js'

export default class WebhookTrigger extends KickCommand<typeof WebhookTrigger> {
  static summary = 'POST a signed sample event, or your own payload, to a URL, as Kick would'
  static description = `Sends the event with all six Kick-Event-* headers, signed with the local development key (an \
RSA key generated on first use, kept in the config dir, mode 0600 on Linux and macOS), and prints the endpoint's status and body. \
\`kick listen --accept-dev-signatures\` accepts these signatures; \`kick public-key --dev\` prints the public key \
your app should trust in development. Exit 1 when the endpoint answers an error.

--file sends your own payload instead of the sample: exactly the file's bytes (checked to be JSON, not against a \
schema), with the event's Kick headers. --set changes a field on top (the JSON is then serialized again); a --set \
path the payload does not have is added, with a warning naming it. --bad-signature signs other bytes on purpose, \
so you can check that your endpoint refuses it: then exit 0 when the endpoint refuses (4xx), 1 when it accepts. \
Events: ${EVENT_TYPES.join(', ')}.`

  static aliases = ['trigger']
  static examples = [
    '<%= config.bin %> trigger chat.message.sent --to http://localhost:3000/webhooks/kick',
    '<%= config.bin %> trigger kicks.gifted --to http://127.0.0.1:8080/ --set gift.amount=500 --set sender.username=bob',
    '<%= config.bin %> trigger chat.message.sent --to http://localhost:3000/webhooks/kick --file payload.json',
    'cat payload.json | <%= config.bin %> trigger chat.message.sent --to http://localhost:3000/ --file -',
    '<%= config.bin %> trigger kicks.gifted --to http://localhost:3000/webhooks/kick --bad-signature',
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
    file: Flags.string({
      char: 'f',
      description: 'send the JSON payload in this file (- for stdin) instead of the sample',
    }),
    version: Flags.integer({ description: 'the Kick-Event-Version header', min: 1, default: 1 }),
    'bad-signature': Flags.boolean({
      description: 'sign wrongly on purpose; exit 0 only when the endpoint refuses it',
    }),
  }

  async run(): Promise<TriggerResult[]> {
    const { event } = this.args
    const flags = this.flags
    if (!isEventType(event))
      throw new UsageError(`unknown event ${event}: choose from ${EVENT_TYPES.join(', ')}`)
    if (!isHttpUrl(flags.to)) throw new UsageError(`--to ${flags.to}: expected an http(s) URL`)
    const [trigger, { loadDevKey }] = await Promise.all([
      import('../../webhooks/trigger.js'),
      import('../../webhooks/dev-key.js'),
    ])
    const set = trigger.parseSetPairs(flags.set ?? [])
    const changes = { broadcasterUserId: flags['broadcaster-id'], set }
    // read and checked once, before anything is sent
    const file = flags.file === undefined ? undefined : await trigger.readPayloadFile(flags.file)
    const base = file ? file.value : trigger.samplePayloadFor(event)
    const fileBody = file ? trigger.payloadFileBody(file, changes) : undefined
    if (!file) trigger.samplePayloadFor(event, changes)
    for (const path of trigger.absentSetPaths(base, set))
      this.warning(`--set ${path}: the payload has no ${path}; it is added (a typo?)`)
    const { privateKey } = await loadDevKey()

    const results: TriggerResult[] = []
    for (let i = 0; i < flags.count; i++) {
      const body = fileBody ?? JSON.stringify(trigger.samplePayloadFor(event, changes))
      const delivery = trigger.signedDelivery(privateKey, {
        type: event,
        body,
        version: flags.version,
        badSignature: flags['bad-signature'],
      })
      let result: TriggerResult
      try {
        result = await trigger.postDelivery(flags.to, event, delivery)
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
    if (flags['bad-signature']) return this.refusedAll(flags.to, results)
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

  /** `--bad-signature` passes when the endpoint refused every delivery (4xx), as it must. */
  private refusedAll(to: string, results: TriggerResult[]): TriggerResult[] {
    const taken = results.filter((result) => result.status < 400 || result.status >= 500)
    if (!taken.length) return results
    if (this.jsonEnabled()) this.logJson(results)
    throw new KickError(
      `${to} answered ${taken[0]!.status} to ${taken.length} of ${results.length} deliveries with a bad signature: ` +
        'an endpoint must refuse them (401)',
    )
  }
}
