/** A column of a terminal table: a header and how to read the cell from a row. */
export interface Column<Row> {
  header: string
  get: (row: Row) => unknown
}

/** Renders rows as a cli-table3 table for a terminal (cli-table3 is loaded only here, when printed). */
export async function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
): Promise<string> {
  if (rows.length === 0) return '(none)'
  const { default: Table } = await import('cli-table3')
  const table = new Table({
    head: columns.map((column) => column.header),
    style: { head: process.env.NO_COLOR ? [] : ['cyan'], border: [] },
  })
  for (const row of rows) table.push(columns.map((column) => cellText(column.get(row))))
  return table.toString()
}

/** `key: value` lines for a single object. */
export function renderSummary(fields: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(fields).map((key) => key.length))
  return Object.entries(fields)
    .map(([key, value]) => `${(key + ':').padEnd(width + 1)} ${cellText(value)}`)
    .join('\n')
}

export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-'
  if (Array.isArray(value)) return value.map(cellText).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
