import { Flags } from '@oclif/core'

import { KickCommand } from '../base-command.js'
import { escapeLines } from '../output/sanitize.js'

export default class PublicKey extends KickCommand<typeof PublicKey> {
  static summary = "Kick's public key for verifying webhook signatures"
  static description = `With --dev, the public half of the local development key instead (generated on first \
use), which \`kick trigger\`, \`kick webhook replay --resign\` and \`kick mock\` sign with: the key your app \
should trust in development, never in production. --dev uses no network.`

  static examples = [
    '<%= config.bin %> public-key',
    '<%= config.bin %> public-key --pem > kick.pem',
    '<%= config.bin %> public-key --dev --pem > kick-dev.pem',
  ]

  static flags = {
    pem: Flags.boolean({
      description: 'print only the PEM text (for a file or openssl)',
      exclusive: ['json'],
    }),
    dev: Flags.boolean({
      description: "the local development key (what kick trigger signs with), not Kick's",
    }),
  }

  async run(): Promise<{ public_key: string } | undefined> {
    const data = this.flags.dev
      ? await devPublicKey()
      : (await (await this.kick()).call<{ public_key: string }>('publicKey')).data
    if (this.flags.pem) {
      process.stdout.write(data.public_key.endsWith('\n') ? data.public_key : `${data.public_key}\n`)
      return undefined
    }
    if (!this.jsonEnabled()) this.log(escapeLines(data.public_key))
    return data
  }
}

async function devPublicKey(): Promise<{ public_key: string }> {
  const { loadDevKey } = await import('../webhooks/dev-key.js')
  return { public_key: (await loadDevKey()).publicKeyPem }
}
