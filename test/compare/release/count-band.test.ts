import { describe, expect, it } from 'vitest'
import { countBand } from '../../../server/compare/release/count-band.ts'

describe('member count bands', () => {
  it('publishes a band, never the exact count', () => {
    expect([3, 4, 5, 9, 10, 19, 20, 49, 50, 400].map((n) => countBand(n, 3).label))
      .toEqual(['3–4', '3–4', '5–9', '5–9', '10–19', '10–19', '20–49', '20–49', '50+', '50+'])
    expect(countBand(7, 3)).toEqual({ min: 5, max: 9, label: '5–9' })
  })

  it('starts the first band at k', () => {
    expect(countBand(6, 6)).toEqual({ min: 6, max: 9, label: '6–9' })
    expect(countBand(12, 12)).toEqual({ min: 12, max: 19, label: '12–19' })
    expect(() => countBand(2, 3)).toThrow(RangeError)
  })
})
