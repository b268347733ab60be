import { Flags } from '@oclif/core'

import { jqFlag, KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import { UsageError } from '../../errors.js'
import { isHttpUrl } from '../../input/url.js'
import type { JqOptions } from '../../output/jq.js'
import { EVENT_TYPES, type EventType, isEventType } from '../../kick/events.js'
import { parseDuration } from '../../webhooks/duration.js'
import { checkTunnelPrerequisites, TUNNEL_KINDS, type TunnelKind } from '../../webhooks/tunnels/tunnel.js'
import { DROPS_EVENT_TYPE } from '../../webhooks/verify.js'

export default class WebhookListen extends KickCommand<typeof WebhookListen> {
  static summary = 'Receive webhooks: verify each delivery and print it as it arrives'
  static description = `Runs a local server that verifies every delivery (signature over id.timestamp.body, replay \
window, duplicate ids) and prints one JSON line per event on stdout (a readable line in a terminal); \
rejections are logged on stderr. Kick only delivers to a public URL: use --tunnel or --public-url and set that \
URL as your app's Webhook URL. --demo streams signed sample events from a local mock Kick, no account needed.`

  static aliases = ['listen']
  static enableJsonFlag = false
  static handlesSignals = true

  static examples = [
    '<%= config.bin %> listen --demo',
    '<%= config.bin %> listen --tunnel cloudflared --subscribe chat.message.sent,channel.followed',
    '<%= config.bin %> listen --count 1 --events kicks.gifted --json',
    '<%= config.bin %> listen --port 8080 --forward-to http://localhost:3000/webhooks/kick',
  ]

  // for shell completion: comma lists of event types the command checks itself
  static completions: CompletionValues = { '--events': EVENT_TYPES, '--subscribe': EVENT_TYPES }

  static flags = {
    port: Flags.integer({
      description: 'port to listen on (default: a free one)',
      min: 0,
      max: 65535,
      default: 0,
    }),
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1' }),
    path: Flags.string({ description: 'path deliveries are POSTed to', default: '/' }),
    'max-age': Flags.string({
      description:
        'reject deliveries whose timestamp is older than this as replays (30s, 10m, 1h; 0 disables)',
      default: '10m',
    }),
    events: Flags.string({ description: `print only these event types (comma-separated)` }),
    json: Flags.boolean({ description: 'one JSON line per event, also in a terminal' }),
    jq: jqFlag(
      'filter each event (the JSON line --json prints) with a jq expression: strings print bare, one result a line',
    ),
    'forward-to': Flags.string({
      description: 'also POST each accepted delivery (headers and exact body) to this URL',
    }),
    subscribe: Flags.string({
      description: 'subscribe to these events (comma-separated) at start, unsubscribe at exit',
    }),
    'broadcaster-id': Flags.integer({
      description: 'channel for --subscribe (default: config broadcaster-id, else the logged-in user)',
      min: 1,
    }),
    'no-verify': Flags.boolean({
      description: "with --subscribe: don't list the subscriptions afterwards to check that Kick kept them",
    }),
    count: Flags.integer({ description: 'exit after this many events', min: 1 }),
    save: Flags.string({
      description:
        'also write each delivery to this directory (for `webhook verify --file` and `webhook replay`)',
    }),
    'accept-dev-signatures': Flags.boolean({
      description: 'also accept the local development key (what `kick trigger` and `kick mock` sign with)',
    }),
    'public-key-file': Flags.string({ description: "verify with this PEM public key instead of Kick's" }),
    tunnel: Flags.string({
      description: 'expose the listener through a tunnel',
      options: [...TUNNEL_KINDS],
      default: 'none',
    }),
    'tunnel-host': Flags.string({
      description: 'self-hosted tunnel server (localtunnel server URL, or ngrok server address)',
    }),
    'tunnel-timeout': Flags.string({
      description: 'give up when the tunnel has not opened within this',
      default: '30s',
    }),
    'public-url': Flags.string({
      description: 'the public URL of a tunnel you run yourself (shown in the banner)',
    }),
    demo: Flags.boolean({
      description: 'stream signed sample events from an in-process mock Kick (no account, no network)',
    }),
  }

  /** one line per result, also at a terminal, as the events' JSON lines are */
  protected jqOptions(): JqOptions {
    return { compact: true }
  }

  async run(): Promise<void> {
    const flags = this.flags
    const settings = await this.settings()
    const maxAgeMs = duration('--max-age', flags['max-age'])
    const tunnelTimeoutMs = duration('--tunnel-timeout', flags['tunnel-timeout'])
    if (!flags.path.startsWith('/')) throw new UsageError(`--path ${flags.path}: must start with /`)
    const events = flags.events === undefined ? undefined : eventList('--events', flags.events, true)
    const subscribe =
      flags.subscribe === undefined ? undefined : eventList('--subscribe', flags.subscribe, false)
    for (const [name, value] of [
      ['--forward-to', flags['forward-to']],
      ['--public-url', flags['public-url']],
    ] as const) {
      if (value !== undefined && !isHttpUrl(value))
        throw new UsageError(`${name} ${value}: expected an http(s) URL`)
    }
    if (flags['public-url'] && flags.tunnel !== 'none')
      throw new UsageError('--public-url is for a tunnel you run yourself: leave out --tunnel')
    if (flags.demo) {
      const clash = ['subscribe', 'public-key-file', 'public-url'].find(
        (name) => flags[name as keyof typeof flags] !== undefined,
      )
      if (clash) throw new UsageError(`--demo runs its own Kick: leave out --${clash}`)
    }
    if (flags['broadcaster-id'] !== undefined && !subscribe)
      throw new UsageError('--broadcaster-id is for --subscribe')
    if (flags['no-verify'] && !subscribe) throw new UsageError('--no-verify is for --subscribe')
    checkTunnelPrerequisites(flags.tunnel as TunnelKind, flags['tunnel-host'])

    // First signal: stop gracefully. A second one: give up at once.
    const interrupted = new Promise<string>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
        process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(130))
        resolve(signal)
      }
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal)
    })

    const [{ runListen }, { checkSaveDir }] = await Promise.all([
      import('../../webhooks/listen.js'),
      import('../../webhooks/saved-delivery.js'),
    ])
    if (flags.save !== undefined) await checkSaveDir(flags.save)
    // oclif rethrows every stdout error but EPIPE, a crash with a stack trace: listen handles them itself
    // (what cannot be printed is answered 503, and the run ends with exit 1 saying why)
    process.stdout.removeAllListeners('error')
    try {
      process.exitCode = await runListen({
        host: flags.host,
        port: flags.port,
        path: flags.path,
        maxAgeMs,
        events,
        count: flags.count,
        json: flags.json || this.jq !== undefined || !process.stdout.isTTY,
        filter: this.jq && ((line) => this.jq!.run(line)),
        forwardTo: flags['forward-to'],
        saveDir: flags.save,
        tunnel: flags.tunnel as TunnelKind,
        tunnelHost: flags['tunnel-host'],
        tunnelTimeoutMs,
        publicUrl: flags['public-url'],
        apiUrl: settings.apiUrl,
        publicKeyFile: flags['public-key-file'],
        acceptDevSignatures: flags['accept-dev-signatures'],
        subscribe: subscribe && {
          events: [...subscribe] as EventType[],
          client: () => this.kick(),
          broadcasterId: () => this.broadcasterId(flags['broadcaster-id']),
          verify: !flags['no-verify'],
        },
        demo: flags.demo
          ? async (webhookUrl) => (await import('../../demo.js')).startDemoKick(webhookUrl, 700)
          : undefined,
        out: process.stdout,
        note: (line) => this.note(line),
        warn: (line) => this.warning(line),
        interrupted,
      })
    } finally {
      // A tunnel provider's SDK may keep something running in the background: once everything this
      // command opened is closed and stdout flushed, nothing left is worth waiting for.
      setTimeout(() => process.exit(), 1000).unref()
    }
  }
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text)
  if (ms === undefined) throw new UsageError(`${flag} ${text}: expected a duration such as 30s, 10m or 1h`)
  return ms
}

function eventList(flag: string, text: string, allowDrops: boolean): Set<string> {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const known = allowDrops ? [...EVENT_TYPES, DROPS_EVENT_TYPE] : [...EVENT_TYPES]
  const unknown = names.filter((name) => !isEventType(name) && !(allowDrops && name === DROPS_EVENT_TYPE))
  if (!names.length || unknown.length)
    throw new UsageError(
      `${flag}: unknown event ${unknown.join(', ') || '(none)'}: choose from ${known.join(', ')}`,
    )
  return new Set(names)
}
