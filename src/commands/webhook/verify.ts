import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { KickError } from '../../errors.js'
import { parseDuration } from '../../webhooks/duration.js'
import { UsageError } from '../../errors.js'

export interface VerifiedFile {
  valid: true
  id: string
  subscription_id: string | null
  type: string | null
  version: number | string | null
  timestamp: string
  key: 'kick' | 'dev'
}

export default class WebhookVerify extends KickCommand<typeof WebhookVerify> {
  static summary = 'Verify the signature of one saved webhook delivery'
  static description = `The file is {"headers": {"Kick-Event-Message-Id": …, …}, "body": "<the raw body, exactly as \
received>"}, the form \`kick listen --save DIR\` writes. Exit 0 when valid, 1 when not (with the reason). \
Freshness is checked only with --max-age. No network is used with --public-key-file, for a malformed file, or \
when --accept-dev-signatures and the local development key signed it; otherwise Kick's public key is taken from \
the cache (kept 24 h), and fetched from KICK_API_URL only when none is cached.`

  static examples = [
    '<%= config.bin %> webhook verify --file delivery.json',
    'cat delivery.json | <%= config.bin %> webhook verify --file - --public-key-file kick.pem',
  ]

  static flags = {
    file: Flags.string({ char: 'f', description: 'the saved delivery (- for stdin)', required: true }),
    'public-key-file': Flags.string({ description: "verify with this PEM public key instead of Kick's" }),
    'max-age': Flags.string({ description: 'also reject a timestamp older than this (30s, 10m, 1h)' }),
    'accept-dev-signatures': Flags.boolean({
      description: 'also accept the local development key (what `kick trigger` and `kick mock` sign with)',
    }),
  }

  async run(): Promise<VerifiedFile> {
    const flags = this.flags
    const maxAgeMs = flags['max-age'] === undefined ? undefined : parseDuration(flags['max-age'])
    if (maxAgeMs === undefined && flags['max-age'] !== undefined)
      throw new UsageError(`--max-age ${flags['max-age']}: expected a duration such as 30s, 10m or 1h`)
    const { readSavedDelivery } = await import('../../webhooks/saved-delivery.js')
    const saved = await readSavedDelivery(flags.file)
    const { verifySavedDelivery } = await import('../../webhooks/public-key.js')
    const verification = await verifySavedDelivery(
      saved.headers,
      saved.body,
      {
        apiUrl: (await this.settings()).apiUrl,
        publicKeyFile: flags['public-key-file'],
        acceptDevSignatures: flags['accept-dev-signatures'],
        warn: (line) => this.warning(line),
      },
      { maxAgeMs },
    )
    if (!verification.ok) throw new KickError(`invalid delivery: ${verification.rejection.reason}`)
    const { delivery } = verification
    this.done(
      `valid: ${delivery.type ?? '(no type)'} ${delivery.id} signed by ${delivery.key === 'dev' ? 'the local development key' : "Kick's key"}`,
    )
    return {
      valid: true,
      id: delivery.id,
      subscription_id: delivery.subscriptionId,
      type: delivery.type,
      version: delivery.version,
      timestamp: delivery.timestamp,
      key: delivery.key,
    }
  }
}
