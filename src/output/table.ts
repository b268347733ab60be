import { escapeControls } from './sanitize.js'
import { cyan } from './terminal.js'

/** A column of a terminal table: a header and how to read the cell from a row. */
export interface Column<Row> {
  header: string
  get: (row: Row) => unknown
}

/** A table drawn for a terminal, and the columns left out because even cut short they did not fit. */
export interface RenderedTable {
  text: string
  hidden: string[]
}

/**
 * Renders rows as a cli-table3 table for a terminal (cli-table3 and string-width are loaded only here, when
 * printed): compact (no line between rows), and no wider than the terminal. Widths are display widths (a CJK
 * character or an emoji takes two columns): the widest columns are cut short with `…` first, down to 6; when
 * that is still too wide, the rightmost columns are left out (`hidden`) rather than let the terminal wrap
 * the borders.
 */
export async function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  terminalWidth = process.stdout.columns,
): Promise<RenderedTable> {
  if (rows.length === 0) return { text: '(none)', hidden: [] }
  const [{ default: Table }, { cutToWidth, displayWidth }] = await Promise.all([
    import('cli-table3'),
    import('./width.js'),
  ])
  const allCells = rows.map((row) => columns.map((column) => cellText(column.get(row))))
  const allHead = columns.map((column) => column.header)
  const { widths, shown } = fitColumns(
    allHead.map((header, i) =>
      Math.max(displayWidth(header), ...allCells.map((row) => displayWidth(row[i]!))),
    ),
    terminalWidth,
    // an id is what the next command needs: it is never cut
    allHead.map((header) => !/(^|\s)ID$/.test(header)),
  )
  // cut here, by display width: cli-table3 measures with an older string-width of its own
  // coloured here, by kick's rule (terminal.ts), not by cli-table3's own colour detection
  const head = shown.map((i, at) => cyan(cutToWidth(allHead[i]!, widths[at]!), process.stdout))
  const table = new Table({
    head,
    colWidths: widths.map((width) => width + 2),
    style: { head: [], border: [], compact: true },
  })
  table.push(...allCells.map((row) => shown.map((i, at) => cutToWidth(row[i]!, widths[at]!))))
  return { text: table.toString(), hidden: allHead.filter((_, i) => !shown.includes(i)) }
}

/**
 * {@link fitWidths}, then, while the table is still wider than `total`, the rightmost column that may be
 * cut is left out: `shown` lists the indexes kept, `widths` their widths.
 */
export function fitColumns(
  natural: readonly number[],
  total: number | undefined,
  shrinkable: readonly boolean[] = natural.map(() => true),
): { widths: number[]; shown: number[] } {
  const shown = natural.map((_, i) => i)
  for (;;) {
    const widths = fitWidths(
      shown.map((i) => natural[i]!),
      total,
      shown.map((i) => shrinkable[i]!),
    )
    const overflow = total ? widths.reduce((sum, width) => sum + width, 0) + widths.length * 3 + 1 - total : 0
    const last = shown.findLastIndex((i) => shrinkable[i])
    if (overflow <= 0 || last < 0 || shown.length === 1) return { widths, shown }
    shown.splice(last, 1)
  }
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
