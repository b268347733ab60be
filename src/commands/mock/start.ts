import { Flags } from '@oclif/core'

import { KickCommand, flagsWithoutJson } from '../../base-command.js'
import { SCOPES } from '../../kick/endpoints.js'
import { KickError, UsageError } from '../../errors.js'
import { isHttpUrl } from '../../input/url.js'
import { Faults, FAULTS, parseFault } from '../../mock/faults.js'
import { escapeControls } from '../../output/sanitize.js'

export const DEFAULT_MOCK_PORT = 8787

export default class MockStart extends KickCommand<typeof MockStart> {
  static summary = 'Run a local Kick: every API endpoint and the OAuth server on one port, in memory'
  static description = `Seeded with users, channels, categories, livestreams, rewards, redemptions and drops claims; \
checks tokens and scopes like Kick, keeps state until it stops, and delivers webhook events signed with the local \
development key to --webhook-url for the events subscribed through the API (POST /mock/trigger/EVENT fires any \
event, subscribed or not). /oauth/authorize approves at once as the first seeded user (mockstreamer, 100001). \
POST /mock/tokens issues a token without the browser dance: {"kind":"user"|"app","scopes":[...]}.

Viewers, from another terminal (they find the mock through KICK_API_URL): \`kick mock chat\`, \`kick mock redeem\`, \
\`kick mock trigger\`, or POST /mock/chat, /mock/redeem, /mock/trigger/EVENT. POST /mock/clock \
{"advance_seconds":N} moves the mock's clock forward, so a timeout ends without waiting for it. The /mock/ routes \
take Content-Type: application/json only (415 otherwise), and a Host that names neither loopback nor --host is \
refused (403) everywhere unless --allowed-host names it: web pages in a browser can reach 127.0.0.1 too.

--fault NAME[=VALUE] makes it misbehave like production; VALUE is a fraction (waf=0.2: a fifth of the answers) \
or a count (server-error=2: the first two), none for every time:
${Object.entries(FAULTS)
  .map(([name, what]) => `  ${name}: ${what}`)
  .join('\n')}

--seed FILE adds users and channels (an existing id is replaced; the first user becomes the one who logs in):
  {"users": [{"user_id": 42, "name": "ci_bot", "email": "…", "profile_picture": "…", "is_verified": false}],
   "channels": [{"broadcaster_user_id": 42, "slug": "ci-bot", "stream_title": "CI", "category_id": 15,
                 "is_live": true, "viewer_count": 10, "language": "en", "custom_tags": ["dev"]}]}

stdout gets only the export lines (\`kick mock start > mock.env &\` then \`. ./mock.env\`); with --user-token also \
KICK_ACCESS_TOKEN, a token of the seeded login user with every scope, so CI needs no browser. The request log goes \
to stderr. Ctrl-C (SIGINT) or SIGTERM stops it with exit 0.`

  static enableJsonFlag = false
  static baseFlags = flagsWithoutJson
  static handlesSignals = true

  static examples = [
    '<%= config.bin %> mock start',
    '<%= config.bin %> mock start --port 0 > mock.env &   # then: . ./mock.env',
    '<%= config.bin %> mock start --user-token > mock.env &   # CI: every command works at once',
    '<%= config.bin %> mock start --webhook-url http://127.0.0.1:3000/webhooks/kick --rate-limit 60',
    '<%= config.bin %> mock start --seed users.json --client-id my-app --client-secret s3cret',
    '<%= config.bin %> mock start --fault waf=0.2 --fault slow=300 --fault bot-chat-500',
  ]

  static flags = {
    port: Flags.integer({
      description: `port to listen on (0: a free one)`,
      min: 0,
      max: 65535,
      default: DEFAULT_MOCK_PORT,
    }),
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1' }),
    'allowed-host': Flags.string({
      description:
        'a name clients reach the mock by (a docker-compose service, say), besides localhost and --host; repeatable (other names get 403: DNS rebinding)',
      multiple: true,
    }),
    'webhook-url': Flags.string({ description: 'where signed webhook events are POSTed' }),
    seed: Flags.string({
      description: 'JSON file of extra users and channels: {"users":[{user_id,name,...}],"channels":[...]}',
    }),
    'client-id': Flags.string({ description: 'accept only this client id (default: any)' }),
    'client-secret': Flags.string({ description: 'accept only this client secret (default: any)' }),
    'rate-limit': Flags.integer({
      description: 'requests per minute, then 429 as Kick sends it, without Retry-After (default: no limit)',
      min: 1,
    }),
    'rate-limit-window': Flags.integer({
      description: 'the rate limit window in seconds (default 60)',
      min: 1,
      dependsOn: ['rate-limit'],
      hidden: true,
    }),
    'user-token': Flags.boolean({
      description: 'also print export KICK_ACCESS_TOKEN=… (the seeded login user, every scope) for CI',
    }),
    fault: Flags.string({
      description:
        'misbehave like production: NAME, NAME=FRACTION (waf=0.2) or NAME=COUNT (server-error=2), slow=MS, rate-limit-retry-after=SECONDS; repeatable',
      multiple: true,
    }),
    'access-token-ttl': Flags.integer({
      description: 'lifetime of user access tokens in seconds (short ones exercise refresh)',
      min: 1,
      default: 7200,
    }),
  }

  async run(): Promise<void> {
    const { flags } = this
    const webhookUrl = flags['webhook-url']
    if (webhookUrl !== undefined && !isHttpUrl(webhookUrl)) {
      throw new UsageError(`--webhook-url must be an http(s) URL, got "${webhookUrl}"`)
    }
    const { startMockKick } = await import('../../mock/server.js')
    const { loadSeedFile } = await import('../../mock/seed.js')
    const seed = flags.seed ? await loadSeedFile(flags.seed) : undefined
    const faults = (flags.fault ?? []).map((text) => {
      try {
        return parseFault(text)
      } catch (error) {
        throw new UsageError((error as Error).message)
      }
    })

    let mock: Awaited<ReturnType<typeof startMockKick>>
    try {
      mock = await startMockKick({
        port: flags.port,
        host: flags.host,
        allowedHosts: flags['allowed-host'],
        webhookUrl,
        seed,
        clientId: flags['client-id'],
        clientSecret: flags['client-secret'],
        rateLimit: flags['rate-limit'],
        rateLimitWindow: flags['rate-limit-window'],
        accessTokenTtl: flags['access-token-ttl'],
        faults,
        log: (line) =>
          process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${escapeControls(line)}\n`),
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE')
        throw new KickError(`port ${flags.port} is in use on ${flags.host}: pass --port 0 for a free one`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new UsageError(`cannot listen on ${flags.host}: not an address of this machine`)
      throw error
    }

    // listening for the signals before the URL is out: a script may send one as soon as it reads it
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    const me = mock.state.user(mock.state.loginUserId)
    this.note(
      [
        `kick mock: a local Kick on ${mock.url} (API and OAuth)`,
        `  logs in as ${me?.name} (${me?.user_id}); webhooks ${webhookUrl ? `→ ${webhookUrl}` : 'off (no --webhook-url)'}` +
          (flags['rate-limit']
            ? `; rate limit ${flags['rate-limit']} per ${flags['rate-limit-window'] ?? 60} s`
            : ''),
        ...(faults.length ? [`  faults: ${new Faults(faults).describe()}`] : []),
        '  Ctrl-C stops it',
      ].join('\n'),
    )
    const exports = [`export KICK_API_URL=${mock.url}`, `export KICK_AUTH_URL=${mock.url}`]
    if (flags['user-token']) {
      // A mock token: it opens nothing but this process, so printing it is the point, not a leak.
      const { access_token } = mock.issueToken({ kind: 'user', scopes: [...SCOPES], userId: me?.user_id })
      exports.push(`export KICK_ACCESS_TOKEN=${access_token}`)
    }
    process.stdout.write(`${exports.join('\n')}\n`)

    const signal = await stopped
    await mock.close()
    this.note(`kick mock: stopped (${signal})`)
  }
}
