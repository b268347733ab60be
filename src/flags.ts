import { Flags } from '@oclif/core'

/** Flags several commands share, defined once so they read and validate the same everywhere. */

export const yesFlag = Flags.boolean({ char: 'y', description: 'do it without asking for confirmation' })

export const broadcasterIdFlag = Flags.integer({
  description: "broadcaster's user id (default: config broadcaster-id, else the logged-in user)",
  min: 1,
})

/** `--set path=value`, for the sample events `kick trigger` and `kick mock trigger` send. */
export const setPayloadFlag = Flags.string({
  description: 'change a payload field: path=value (JSON when it parses, text otherwise); repeatable',
  multiple: true,
})

export function cursorFlags(limit?: { min: number; max: number }) {
  return {
    cursor: Flags.string({ description: 'start from this page cursor (from a previous answer)' }),
    limit: Flags.integer({
      description: limit ? `items per page (${limit.min}-${limit.max})` : 'items per page',
      min: limit?.min,
      max: limit?.max,
    }),
    paginate: Flags.boolean({
      description:
        'follow every page and print one merged list (--jq: a filter starting with .[] runs page by page, any other gets the whole list once collected)',
    }),
  }
}
