import { Flags } from '@oclif/core'

import { KickCommand } from '../base-command.js'
import { escapeLines } from '../output/sanitize.js'

export default class PublicKey extends KickCommand<typeof PublicKey> {
  static summary = "Kick's public key for verifying webhook signatures"
  static examples = ['<%= config.bin %> public-key', '<%= config.bin %> public-key --pem > kick.pem']

  static flags = {
    pem: Flags.boolean({
      description: 'print only the PEM text (for a file or openssl)',
      exclusive: ['json'],
    }),
  }

  async run(): Promise<{ public_key: string } | undefined> {
    const kick = await this.kick()
    const { data } = await kick.call<{ public_key: string }>('publicKey')
    if (this.flags.pem) {
      process.stdout.write(data.public_key.endsWith('\n') ? data.public_key : `${data.public_key}\n`)
      return undefined
    }
    if (!this.jsonEnabled()) this.log(escapeLines(data.public_key))
    return data
  }
}
