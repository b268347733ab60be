import { describe, expect, it } from 'vitest'

import { fitColumns, fitWidths, renderTable } from '../../src/output/table.js'
import { cutToWidth, displayWidth } from '../../src/output/width.js'

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
    const { text, hidden } = await renderTable(rows, columns, 45)
    expect(hidden).toEqual([])
    const lines = text.split('\n')
    expect(lines.every((line) => line.length <= 45)).toBe(true)
    expect(text).toContain('01M85WJGYSNJWMYJ12G3VF9FGV')
    expect(text).toContain('A very long…')
    // top border, header, header rule, two rows, bottom border
    expect(lines).toHaveLength(6)
  })

  it('says (none) for no rows', async () => {
    expect(await renderTable([], columns, 80)).toEqual({ text: '(none)', hidden: [] })
  })
})

describe('display width', () => {
  it('counts CJK characters and emoji as two columns, combining marks as none', () => {
    expect(displayWidth('🎵 歌のリクエスト')).toBe(17)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(displayWidth('👩‍👩‍👧')).toBe(2)
  })

  it('cuts to a display width with …, never splitting a grapheme', () => {
    expect(cutToWidth('🎵 歌のリクエスト', 17)).toBe('🎵 歌のリクエスト')
    expect(cutToWidth('🎵 歌のリクエスト', 16)).toBe('🎵 歌のリクエス…')
    expect(cutToWidth('🎵 歌のリクエスト', 10)).toBe('🎵 歌のリ…')
    // the next character is two wide and one column is left: it is left out whole
    expect(cutToWidth('ab歌', 3)).toBe('ab…')
    expect(cutToWidth('👩‍👩‍👧👩‍👩‍👧', 3)).toBe('👩‍👩‍👧…')
    expect(cutToWidth('anything', 0)).toBe('')
  })
})

describe('tables measured in display width', () => {
  type Reward = { id: string; title: string; cost: number; enabled: string; paused: string; input: string }
  const rewards: Reward[] = [
    {
      id: '01M89K8GCAJ46K18WY9EEG03DZ',
      title: '🎵 歌のリクエスト',
      cost: 100,
      enabled: 'yes',
      paused: 'no',
      input: 'no',
    },
    {
      id: '01M870VQS19RXBH23GWDBQKG4N',
      title: 'Song Request',
      cost: 5000,
      enabled: 'yes',
      paused: 'no',
      input: 'yes',
    },
  ]
  const rewardColumns = [
    { header: 'ID', get: (row: Reward) => row.id },
    { header: 'TITLE', get: (row: Reward) => row.title },
    { header: 'COST', get: (row: Reward) => row.cost },
    { header: 'ENABLED', get: (row: Reward) => row.enabled },
    { header: 'PAUSED', get: (row: Reward) => row.paused },
    { header: 'INPUT', get: (row: Reward) => row.input },
  ]

  it('keeps a CJK and emoji title whole when there is room, borders aligned', async () => {
    process.env.NO_COLOR = '1'
    const { text } = await renderTable(rewards, rewardColumns, 120)
    expect(text).toContain('│ 🎵 歌のリクエスト │')
    const widths = text.split('\n').map(displayWidth)
    expect(new Set(widths).size).toBe(1)
  })

  it('at 70 columns every line fits and the borders line up, the rightmost column left out', async () => {
    process.env.NO_COLOR = '1'
    const { text, hidden } = await renderTable(rewards, rewardColumns, 70)
    const lines = text.split('\n')
    expect(lines.every((line) => displayWidth(line) <= 70)).toBe(true)
    expect(new Set(lines.map(displayWidth)).size).toBe(1)
    expect(hidden).toEqual(['INPUT'])
    expect(text).toContain('01M89K8GCAJ46K18WY9EEG03DZ')
  })

  it('leaves out columns only once cutting them to 6 is not enough, never the id', () => {
    expect(fitColumns([26, 20, 20], 70, [false, true, true])).toEqual({
      widths: [26, 17, 17],
      shown: [0, 1, 2],
    })
    expect(fitColumns([26, 20, 20], 40, [false, true, true])).toEqual({ widths: [26, 7], shown: [0, 1] })
    expect(fitColumns([26, 20], 10, [false, true])).toEqual({ widths: [26], shown: [0] })
  })
})
