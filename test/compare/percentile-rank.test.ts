import { describe, expect, it } from 'vitest'
import { RANK_METHOD, percentileRank } from '../../server/compare/percentile-rank.ts'

describe('percentileRank', () => {
  it('names its method', () => {
    expect(RANK_METHOD).toBe('share-of-others-below-plus-half-ties')
  })

  it('is 0 below everyone and 100 above everyone', () => {
    expect(percentileRank(1, [2, 3, 4])).toBe(0)
    expect(percentileRank(9, [2, 3, 4])).toBe(100)
  })

  it('is the share of others strictly below', () => {
    expect(percentileRank(3.5, [1, 2, 3, 4])).toBe(75)
    expect(percentileRank(2.5, [1, 2, 3, 4])).toBe(50)
  })

  it('counts ties half', () => {
    // below: 1; tied: 2 → (1 + 1) / 4
    expect(percentileRank(5, [5, 5, 1, 9])).toBe(50)
    // below: 2; tied: 1 → 2.5 / 3
    expect(percentileRank(4, [1, 2, 4])).toBeCloseTo(83.333333, 5)
    expect(percentileRank(4, [4, 4, 4])).toBe(50)
  })

  it('needs others to compare with', () => {
    expect(() => percentileRank(1, [])).toThrow(RangeError)
  })
})
