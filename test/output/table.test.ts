import { describe, expect, it } from 'vitest'

import { fitWidths, renderTable } from '../../src/output/table.js'

describe('fitWidths', () => {
  it('leaves the widths alone when the table fits or the width is unknown', () => {
    expect(fitWidths([10, 20], 80)).toEqual([10, 20])
    expect(fitWidths([100, 200], undefined)).toEqual([100, 200])
    expect(fitWidths([100, 200], 0)).toEqual([100, 200])
  })

  it('takes from the widest column until the frame fits the terminal', () => {
    // 3 columns: frame 10; 10 + 60 + 30 + 10 = 110 → 80 means 30 to give
    expect(fitWidths([10, 60, 30], 80)).toEqual([10, 30, 30])
  })

  it('never cuts a column that must stay whole, nor any below 6', () => {
    expect(fitWidths([26, 40, 40], 60, [false, true, true])).toEqual([26, 12, 12])
    expect(fitWidths([26, 40, 40], 30, [false, true, true])).toEqual([26, 6, 6])
  })
})

describe('renderTable', () => {
  const rows = [
    { id: '01M85WJGYSNJWMYJ12G3VF9FGV', title: 'A very long reward title that goes on' },
    { id: '01M85WJGYT4B1060G41QV08AQ5', title: 'Short' },
  ]
  const columns = [
    { header: 'ID', get: (row: (typeof rows)[number]) => row.id },
    { header: 'TITLE', get: (row: (typeof rows)[number]) => row.title },
  ]

  it('fits a narrow terminal, keeping ids whole and rows without separators between them', async () => {
    process.env.NO_COLOR = '1'
    const text = await renderTable(rows, columns, 45)
    const lines = text.split('\n')
    expect(lines.every((line) => line.length <= 45)).toBe(true)
    expect(text).toContain('01M85WJGYSNJWMYJ12G3VF9FGV')
    expect(text).toContain('A very long…')
    // top border, header, header rule, two rows, bottom border
    expect(lines).toHaveLength(6)
  })

  it('says (none) for no rows', async () => {
    expect(await renderTable([], columns, 80)).toBe('(none)')
  })
})
