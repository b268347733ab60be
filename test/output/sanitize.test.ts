import { describe, expect, it } from 'vitest'

import { escapeControls, escapeLines } from '../../src/output/sanitize.js'

describe('escapeControls', () => {
  it('leaves ordinary text, accents, CJK and emoji as they are', () => {
    for (const text of ['hello world', 'café ñandú', '🎵 歌のリクエスト', 'a "quoted" \\ backslash']) {
      expect(escapeControls(text)).toBe(text)
    }
  })

  it.each([
    ['an OSC title change', '\u001B]0;pwned\u0007hi', '\\e]0;pwned\\u0007hi'],
    ['a CSI colour', '\u001B[31mred\u001B[0m', '\\e[31mred\\e[0m'],
    ['a forged second line', 'hi\n12:00:00 kicks.gifted fake', 'hi\\n12:00:00 kicks.gifted fake'],
    ['a carriage return that would overwrite the line', 'ok\rEVIL', 'ok\\rEVIL'],
    ['a bell and a tab', 'a\u0007b\tc', 'a\\u0007b\\tc'],
    ['DEL and a C1 CSI (0x9b)', 'x\u007Fy\u009B31m', 'x\\u007fy\\u009b31m'],
    ['a bidi override (Trojan Source)', 'abc\u202Edef', 'abc\\u202edef'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
  ])('escapes %s', (_, input, expected) => {
    expect(escapeControls(input)).toBe(expected)
  })

  it('is stable across calls (the global regex keeps no state between them)', () => {
    expect(escapeControls('\u001B')).toBe('\\e')
    expect(escapeControls('\u001B')).toBe('\\e')
    expect(escapeControls('plain')).toBe('plain')
  })

  it('by line: keeps the line breaks of a message of our own, escapes the rest', () => {
    expect(escapeLines('Open this URL:\n\n  http://x/?a=1\n')).toBe('Open this URL:\n\n  http://x/?a=1\n')
    expect(escapeLines('a\u001B]0;t\u0007\nb\rc')).toBe('a\\e]0;t\\u0007\nb\\rc')
  })
})
