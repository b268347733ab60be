import { Args, Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import { KickError, UsageError } from '../../errors.js'
import { isHttpUrl } from '../../input/url.js'
import { escapeControls } from '../../output/sanitize.js'
import { red } from '../../output/terminal.js'
import type { ReplayItem, ReplayResult } from '../../webhooks/replay.js'

export default class WebhookReplay extends KickCommand<typeof WebhookReplay> {
  static summary = 'Send saved deliveries again, exactly as Kick sent them'
  static description = `Re-sends deliveries saved by \`kick listen --save DIR\` (files, or folders of them) to a URL \
with their original headers and exact body bytes, so Kick's signature still verifies there. They go one at a time, \
in the order they arrived: the received_at each file holds, else Kick's timestamp header, then the file name. Every \
file is checked before anything is sent: one that is missing, not a saved delivery or over 16 MiB is a line each, \
and exit 2 with nothing sent.

One line per delivery on stderr with the endpoint's status; exit 1 when any is refused (not 2xx, or unreachable). \
A listener with a replay window refuses an old delivery: start \`kick listen\` with --max-age 0 to take one (it \
also answers a message id it has seen already 200 without printing it again). --resign sends each with a fresh \
message id and timestamp instead, signed with the local development key (\`kick listen --accept-dev-signatures\` \
takes it; \`kick public-key --dev\` prints the key for your app).`

  static examples = [
    '<%= config.bin %> webhook replay deliveries/ --to http://localhost:3000/webhooks/kick',
    '<%= config.bin %> webhook replay deliveries/01J….json --to http://127.0.0.1:8080/ --resign',
    '<%= config.bin %> webhook replay deliveries/ --to http://localhost:3000/ --rate 5/s --dry-run',
    `jq '.body |= sub("hi"; "hello")' saved.json | <%= config.bin %> webhook replay - --to http://127.0.0.1:8080/ --resign`,
  ]

  static strict = false

  static args = {
    path: Args.string({
      description: 'saved delivery files, folders of them, or - for one on stdin',
      required: true,
    }),
  }

  static flags = {
    to: Flags.string({ description: 'URL to POST the deliveries to', required: true }),
    rate: Flags.string({ description: 'at most this many a second (5/s, 0.5/s) or a minute (30/m)' }),
    'dry-run': Flags.boolean({ description: 'check the files and list what would be sent; send nothing' }),
    resign: Flags.boolean({
      description: 'fresh message id and timestamp, signed with the local development key',
    }),
  }

  async run(): Promise<ReplayResult[]> {
    const flags = this.flags
    if (!isHttpUrl(flags.to)) throw new UsageError(`--to ${flags.to}: expected an http(s) URL`)
    const replay = await import('../../webhooks/replay.js')
    const interval = flags.rate === undefined ? 0 : replay.parseRate(flags.rate)
    if (interval === undefined)
      throw new UsageError(`--rate ${flags.rate}: expected deliveries per second or minute, e.g. 5/s or 30/m`)

    const { items, problems } = await replay.collectSavedDeliveries(this.positionals)
    if (problems.length) {
      for (const problem of problems.slice(0, -1))
        process.stderr.write(`${red('Error:')} ${escapeControls(problem)}\n`)
      throw new UsageError(`${problems.at(-1)!} (nothing was sent)`)
    }
    if (flags['dry-run']) {
      for (const item of items) this.line(`would send ${describe(item)}`)
      return items.map((item) => replay.unsentResult(item))
    }
    const resignWith = flags.resign
      ? (await (await import('../../webhooks/dev-key.js')).loadDevKey()).privateKey
      : undefined
    const results = await replay.replayAll(flags.to, items, {
      intervalMs: interval,
      resignWith,
      report: (result) => {
        const status = result.status === null ? 'failed' : String(result.status)
        const resent = result.sent_id ? ` as ${result.sent_id}` : ''
        this.line(`${status} ${describe(result)}${resent}${result.answer ? `: ${result.answer}` : ''}`)
      },
    })

    const refused = results.filter((result) => !replay.accepted(result))
    if (refused.length) {
      if (this.jsonEnabled()) this.logJson(results)
      throw new KickError(
        `${flags.to} refused ${refused.length} of ${results.length} deliveries${hint(refused, flags.resign)}`,
      )
    }
    return results
  }

  /** One delivery's line on stderr: text from the files and the endpoint, made inert. */
  private line(text: string): void {
    process.stderr.write(`${escapeControls(text)}\n`)
  }
}

function describe(item: Pick<ReplayItem, 'file' | 'id' | 'type'>): string {
  return `${item.type ?? '(no type)'} ${item.id ?? '(no id)'} from ${item.file === '-' ? 'stdin' : item.file}`
}

/** The usual 401s: a replay window (or an untrusted dev key after --resign). */
function hint(refused: ReplayResult[], resigned: boolean): string {
  if (!refused.some((result) => result.status === 401)) return ''
  return resigned
    ? ': --resign signs with the local development key, which `kick listen` accepts only with --accept-dev-signatures'
    : ': a listener with a replay window refuses old deliveries (`kick listen --max-age 0` takes them), or replay with --resign'
}
