/**
 * `kick mock start --fault NAME[=VALUE]`: Kick's misbehaviour on demand, so a client meets in CI what it
 * will meet in production. VALUE is how often: none for every time, a fraction (`waf=0.2`: a fifth of the
 * answers, at random), or a count (`server-error=2`: the first two, then no more). `slow` takes milliseconds,
 * `rate-limit-retry-after` seconds.
 */

export const FAULTS = {
  waf: `403 {"error":"Request blocked by security policy.","reference":"…"} (Kick's edge firewall)`,
  challenge: '403 HTML "Just a moment..." page (the edge\'s challenge to datacenter addresses)',
  'server-error': '500 {"data":null,"message":"Internal server error"}',
  'rate-limit-no-retry-after': '429 without a Retry-After header (as Kick sends it)',
  'rate-limit-retry-after':
    '429 with Retry-After: VALUE seconds (Kick documents no such header); with --rate-limit, its 429s carry it',
  slow: 'every answer delayed by VALUE milliseconds',
  'bot-chat-500': 'POST /public/v1/chat with "type":"bot" answers 500 (an open Kick bug)',
  'redirect-rewrite':
    "/oauth/authorize rewrites the first 127.0.0.1 of its URL to localhost, as Kick's front end does",
  'webhook-retry': 'a delivery is sent twice with the same message id and timestamp (Kick retrying)',
  'subscriptions-not-kept':
    'POST /public/v1/events/subscriptions answers 200 with an id but keeps nothing (KDD#419)',
  'subscriptions-duplicated':
    'each subscription created is listed twice, under two ids (Kick under load; SDKs check for it)',
} as const

export type FaultName = keyof typeof FAULTS

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[]

export interface FaultSpec {
  name: FaultName
  /** the fraction of chances it takes (1: all) */
  rate: number
  /** how many times it may still happen (Infinity: no end) */
  remaining: number
  /** `slow`: the delay in milliseconds */
  delayMs?: number
  /** `rate-limit-retry-after`: the Retry-After value in seconds */
  retryAfterSeconds?: number
}

const MAX_SLOW_MS = 120_000
const MAX_RETRY_AFTER_SECONDS = 3600

/** One `--fault` value; a problem is an Error whose message names it (the CLI shows it, exit 2). */
export function parseFault(text: string): FaultSpec {
  const at = text.indexOf('=')
  const name = (at < 0 ? text : text.slice(0, at)).trim()
  const value = at < 0 ? undefined : text.slice(at + 1).trim()
  if (!(name in FAULTS))
    throw new Error(`--fault ${text}: unknown fault "${name}"; one of ${FAULT_NAMES.join(', ')}`)
  const fault = name as FaultName
  if (fault === 'slow') {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > MAX_SLOW_MS)
      throw new Error(`--fault ${text}: slow takes milliseconds, slow=MS with MS from 0 to ${MAX_SLOW_MS}`)
    return { name: fault, rate: 1, remaining: Infinity, delayMs: Number(value) }
  }
  if (fault === 'rate-limit-retry-after') {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > MAX_RETRY_AFTER_SECONDS)
      throw new Error(
        `--fault ${text}: rate-limit-retry-after takes seconds, rate-limit-retry-after=SECONDS with SECONDS ` +
          `from 0 to ${MAX_RETRY_AFTER_SECONDS}`,
      )
    return { name: fault, rate: 1, remaining: Infinity, retryAfterSeconds: Number(value) }
  }
  if (value === undefined || value === '') return { name: fault, rate: 1, remaining: Infinity }
  if (/^\d+$/.test(value) && Number(value) >= 1) return { name: fault, rate: 1, remaining: Number(value) }
  if (/^0?\.\d+$/.test(value) && Number(value) > 0)
    return { name: fault, rate: Number(value), remaining: Infinity }
  throw new Error(
    `--fault ${text}: VALUE is a fraction (${fault}=0.2: a fifth of the time) or a count ` +
      `(${fault}=2: the first two times)`,
  )
}

/** The faults a running mock has; `happens` decides each chance (and counts it when it happens). */
export class Faults {
  private readonly specs = new Map<FaultName, FaultSpec>()

  constructor(
    specs: readonly FaultSpec[] = [],
    private readonly random: () => number = Math.random,
  ) {
    // a fault named twice: the last one counts, as with other repeated flags
    for (const spec of specs) this.specs.set(spec.name, { ...spec })
  }

  get size(): number {
    return this.specs.size
  }

  happens(name: FaultName): boolean {
    const spec = this.specs.get(name)
    if (!spec || spec.remaining <= 0) return false
    if (spec.rate < 1 && this.random() >= spec.rate) return false
    spec.remaining--
    return true
  }

  /** `slow`: how long to hold each answer back. */
  delayMs(): number {
    return this.specs.get('slow')?.delayMs ?? 0
  }

  /** `rate-limit-retry-after`: the Retry-After a 429 carries; undefined (Kick's way: none) without it. */
  retryAfterSeconds(): number | undefined {
    return this.specs.get('rate-limit-retry-after')?.retryAfterSeconds
  }

  /** For the banner: `waf=0.2, slow=300`. */
  describe(): string {
    return [...this.specs.values()]
      .map((spec) => {
        if (spec.delayMs !== undefined) return `${spec.name}=${spec.delayMs}`
        if (spec.retryAfterSeconds !== undefined) return `${spec.name}=${spec.retryAfterSeconds}`
        if (spec.rate < 1) return `${spec.name}=${spec.rate}`
        return Number.isFinite(spec.remaining) ? `${spec.name}=${spec.remaining}` : spec.name
      })
      .join(', ')
  }
}
