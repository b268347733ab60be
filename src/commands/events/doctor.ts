import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { UsageError } from '../../errors.js'
import { isHttpUrl } from '../../input/url.js'
import { endpoints } from '../../kick/endpoints.js'
import { escapeControls } from '../../output/sanitize.js'
import { green, red } from '../../output/terminal.js'
import type { CheckName, DoctorCheck } from '../../webhooks/doctor.js'

const LABELS: Record<CheckName, string> = {
  'app-token': 'app token',
  scopes: 'scopes',
  subscriptions: 'subscriptions',
  'webhook-url': 'webhook URL',
}

export default class EventsDoctor extends KickCommand<typeof EventsDoctor> {
  static summary = 'Check why webhook events might not arrive: app token, scopes, subscriptions, webhook URL'
  static description = `One line per check, each saying what to do when it fails: the client credentials obtain an \
app token; the token kick events subscribe uses has the events:subscribe scope; each subscription of the app is \
listed once (duplicates and unknown entries are flagged: Kick makes them under load); with --url, that URL (your \
app's Webhook URL, which Kick's API cannot read) answers a signed test delivery with 2xx. Exits 0 only when every \
check passes.`

  static examples = [
    '<%= config.bin %> events doctor',
    '<%= config.bin %> events doctor --url https://example.com/webhooks/kick --json',
  ]

  static flags = {
    url: Flags.string({
      description: "your app's Webhook URL: send it a signed test delivery (the local development key's)",
    }),
  }

  async run(): Promise<DoctorCheck[]> {
    const url = this.flags.url
    if (url !== undefined && !isHttpUrl(url)) throw new UsageError(`--url ${url}: expected an http(s) URL`)
    const [{ deliverSample, runDoctor }, { listSubscriptions }, session, provider, kick] = await Promise.all([
      import('../../webhooks/doctor.js'),
      import('../../kick/subscriptions.js'),
      this.session(),
      this.tokenProvider(),
      this.kick(),
    ])
    const checks = await runDoctor({
      profile: this.profile,
      appToken: () => session.appToken(),
      subscribeToken: () => provider.tokenFor(endpoints.eventsSubscribe),
      introspect: async (token) => (await session.oauth()).introspect(token),
      list: (token) => listSubscriptions(kick, token),
      deliver: url ? (event) => deliverSample(url, event) : undefined,
    })
    if (!this.jsonEnabled()) for (const check of checks) this.log(checkLine(check))
    const failed = checks.filter((check) => !check.ok).length
    if (failed)
      throw this.missing(
        checks,
        `${failed} of ${checks.length} check${checks.length === 1 ? '' : 's'} failed: see what to do on ${failed === 1 ? 'its line' : 'their lines'}`,
      )
    return checks
  }
}

function checkLine(check: DoctorCheck): string {
  const mark = check.ok ? green('✓', process.stdout) : red('✗', process.stdout)
  const said = check.fix ? `${check.detail}: ${check.fix}` : check.detail
  return `${mark} ${LABELS[check.check].padEnd(13)} ${escapeControls(said)}`
}
