import stringWidth from 'string-width'

/**
 * Display width in terminal columns, where a CJK character or an emoji takes two and a combining mark none
 * (string-width). Its grapheme segmenter costs at start-up: load this module with `await import()` where a
 * table or a listen line is drawn, never at the top of code every command loads.
 */
export const displayWidth = (text: string): number => stringWidth(text)

const graphemes = new Intl.Segmenter()

/**
 * `text` cut to at most `max` columns, ending in `…` when cut; a grapheme (an emoji sequence, a letter and
 * its marks) is kept whole or left out, never split.
 */
export function cutToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text
  if (max < 1) return ''
  let kept = ''
  let width = 0
  for (const { segment } of graphemes.segment(text)) {
    const next = stringWidth(segment)
    if (width + next > max - 1) break
    kept += segment
    width += next
  }
  return `${kept}…`
}
