import { escapeControls } from './sanitize.js'

/** A column of a terminal table: a header and how to read the cell from a row. */
export interface Column<Row> {
  header: string
  get: (row: Row) => unknown
}

/**
 * Renders rows as a cli-table3 table for a terminal (cli-table3 is loaded only here, when printed): compact
 * (no line between rows), and no wider than the terminal, the widest columns cut short with `…` first.
 */
export async function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  terminalWidth = process.stdout.columns,
): Promise<string> {
  if (rows.length === 0) return '(none)'
  const { default: Table } = await import('cli-table3')
  const cells = rows.map((row) => columns.map((column) => cellText(column.get(row))))
  const head = columns.map((column) => column.header)
  const widths = fitWidths(
    head.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length))),
    terminalWidth,
    // an id is what the next command needs: it is never cut
    head.map((header) => !/(^|\s)ID$/.test(header)),
  )
  const table = new Table({
    head,
    colWidths: widths.map((width) => width + 2),
    style: { head: process.env.NO_COLOR ? [] : ['cyan'], border: [], compact: true },
  })
  table.push(...cells)
  return table.toString()
}

/**
 * Column content widths that fit a terminal `total` characters wide (each column adds 3 for padding and
 * border, plus 1 for the last border): the widest shrinkable column gives up a character at a time, down
 * to 6. An unknown width (0, undefined: not a terminal) leaves them as they are.
 */
export function fitWidths(
  natural: readonly number[],
  total: number | undefined,
  shrinkable: readonly boolean[] = natural.map(() => true),
): number[] {
  const widths = [...natural]
  if (!total) return widths
  const frame = widths.length * 3 + 1
  let overflow = widths.reduce((sum, width) => sum + width, 0) + frame - total
  while (overflow > 0) {
    const candidates = widths.map((width, i) => (shrinkable[i] && width > 6 ? width : -1))
    const widest = candidates.indexOf(Math.max(...candidates))
    if (candidates[widest]! < 0) break
    widths[widest]!--
    overflow--
  }
  return widths
}

/** `key: value` lines for a single object. */
export function renderSummary(fields: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(fields).map((key) => key.length))
  return Object.entries(fields)
    .map(([key, value]) => `${(key + ':').padEnd(width + 1)} ${cellText(value)}`)
    .join('\n')
}

/** A value as one line of inert text (what Kick returns was written by other people). */
export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-'
  if (Array.isArray(value)) return value.map(cellText).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return escapeControls(String(value))
}
