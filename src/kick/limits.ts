import { UsageError } from '../errors.js'

/**
 * Kick's input limits (REFERENCE.md §2), checked before any request so bad input is exit 2 with one line
 * instead of a round trip and Kick's 400. Lengths count Unicode code points, as Kick does for chat.
 */
export const LIMITS = {
  channelSlugLength: 25,
  rewardTitleLength: 50,
  rewardDescriptionLength: 200,
  rewardCostMin: 1,
  chatMessageLength: 500,
  // Not confirmed by any primary source: 100 is the limit third-party SDKs quote.
  banReasonLength: 100,
  timeoutMinutes: { min: 1, max: 10_080 },
} as const

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HEX_COLOUR = /^#[0-9a-f]{6}$/i

/** Characters as a person counts them: `'👋'.length` is 2, but Kick counts it as one. */
export function codePointLength(text: string): number {
  return [...text].length
}

/** `text` has 1..max code points (or up to max when empty is allowed); `what` names it in the message. */
export function checkLength(what: string, text: string, max: number, { allowEmpty = false } = {}): string {
  const length = codePointLength(text)
  if (length === 0 && !allowEmpty) throw new UsageError(`${what} must not be empty`)
  if (length > max) throw new UsageError(`${what} is ${length} characters long; Kick takes at most ${max}`)
  return text
}

export function checkChannelSlugs(slugs: readonly string[]): string[] {
  return slugs.map((slug) => checkLength(`--slug ${JSON.stringify(slug)}`, slug, LIMITS.channelSlugLength))
}

/** Kick's limits on tags are not documented; an empty tag is certainly not one. */
export function checkTags(tags: readonly string[]): string[] {
  return tags.map((tag) => checkLength('--tag', tag, Number.POSITIVE_INFINITY))
}

export function checkRewardTitle(title: string): string {
  return checkLength('--title', title, LIMITS.rewardTitleLength)
}

export function checkRewardDescription(description: string): string {
  return checkLength('--description', description, LIMITS.rewardDescriptionLength, { allowEmpty: true })
}

export function checkRewardCost(cost: number): number {
  if (cost < LIMITS.rewardCostMin) {
    throw new UsageError(`--cost must be at least ${LIMITS.rewardCostMin} (got ${cost})`)
  }
  return cost
}

export function checkBackgroundColour(colour: string): string {
  if (!HEX_COLOUR.test(colour)) {
    throw new UsageError(
      `--background-color must be a hex colour like #00e701 (got ${JSON.stringify(colour)})`,
    )
  }
  return colour
}

export function checkChatMessage(content: string): string {
  return checkLength('the message', content, LIMITS.chatMessageLength)
}

export function checkBanReason(reason: string): string {
  return checkLength('--reason', reason, LIMITS.banReasonLength)
}

export function checkTimeoutMinutes(minutes: number): number {
  const { min, max } = LIMITS.timeoutMinutes
  if (minutes < min || minutes > max) {
    throw new UsageError(`--duration is in minutes, from ${min} to ${max} (7 days); got ${minutes}`)
  }
  return minutes
}

/** A reward, redemption or subscription id: a ULID, 26 characters of Crockford base32. */
export function checkUlid(what: string, id: string): string {
  if (!ULID.test(id)) {
    throw new UsageError(
      `${what} ${JSON.stringify(id)} is not a Kick id (26 characters, like 01KBHE78QE4HZY1617DK5FC7YD)`,
    )
  }
  return id
}

/** A list of ULIDs, each valid and none repeated (Kick rejects a batch holding the same id twice). */
export function checkUniqueUlids(what: string, ids: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const id of ids) {
    checkUlid(what, id)
    const key = id.toUpperCase()
    if (seen.has(key)) throw new UsageError(`${what} ${id} is given twice`)
    seen.add(key)
  }
  return [...ids]
}

/** A chat message id: a UUID. */
export function checkUuid(what: string, id: string): string {
  if (!UUID.test(id)) {
    throw new UsageError(
      `${what} ${JSON.stringify(id)} is not a chat message id (a UUID like 5138d04d-68f8-4eca-aa65-93123f6f97fe)`,
    )
  }
  return id
}
