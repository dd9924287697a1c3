import { describe, expect, it } from 'vitest'
import { displayName } from '../../server/domain/display-name.ts'

describe('display names', () => {
  it('keep any well-formed text, trimmed, emoji and CJK included', () => {
    expect(displayName().parse('  食堂いちばん 🌡  ')).toBe('食堂いちばん 🌡')
  })

  it('refuse lone surrogates, which UTF-8 storage would turn into U+FFFD', () => {
    for (const bad of ['🌡\ud800', '\udc00x', 'a\ud83cb']) {
      expect(displayName().safeParse(bad).error?.issues[0]?.message).toBe('must be well-formed Unicode text (a lone surrogate cannot be stored)')
    }
  })

  it('refuse empty and over-long names', () => {
    expect(displayName().safeParse('   ').success).toBe(false)
    expect(displayName(5).safeParse('abcdef').success).toBe(false)
  })
})
