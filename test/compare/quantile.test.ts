import { describe, expect, it } from 'vitest'
import { QUANTILE_METHOD, mean, quantile } from '../../server/compare/quantile.ts'

const all = (sorted: number[]): number[] => [10, 25, 50, 75, 90].map((p) => quantile(sorted, p))

describe('quantile (Hyndman & Fan type 7)', () => {
  it('names its method', () => {
    expect(QUANTILE_METHOD).toBe('hyndman-fan-7')
  })

  it('interpolates between order statistics: 4 values', () => {
    // h = 3p: p10 → 0.3, p25 → 0.75, p50 → 1.5, p75 → 2.25, p90 → 2.7
    expect(all([1, 2, 3, 4])).toEqual([1.3, 1.75, 2.5, 3.25, 3.7])
  })

  it('lands on order statistics when h is whole: 5 values', () => {
    // h = 4p: p25 → 1, p50 → 2, p75 → 3 (values themselves); p10 → 0.4, p90 → 3.6
    expect(all([10, 20, 30, 40, 50])).toEqual([14, 20, 30, 40, 46])
  })

  it('matches numpy.quantile on an unsorted-looking set (sorted first)', () => {
    // numpy.quantile([3,1,4,1,5,9,2,6], [.1,.25,.5,.75,.9]) → [1. , 1.75, 3.5, 5.25, 6.9]
    const result = all([1, 1, 2, 3, 4, 5, 6, 9])
    expect(result.slice(0, 4)).toEqual([1, 1.75, 3.5, 5.25])
    expect(result[4]).toBeCloseTo(6.9, 12)
  })

  it('gives p10 and p90 of 11 values exactly as the 2nd and 10th values', () => {
    expect(all([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual([10, 25, 50, 75, 90])
  })

  it('is exact whenever h is whole, for every count up to 500', () => {
    for (let n = 1; n <= 500; n++) {
      const sorted = Array.from({ length: n }, (_, i) => i * 0.7 + 0.1)
      for (const p of [10, 25, 50, 75, 90]) {
        if (((n - 1) * p) % 100 === 0) expect(quantile(sorted, p)).toBe(sorted[((n - 1) * p) / 100])
      }
    }
  })

  it('returns the only value of a single-value set', () => {
    expect(all([7])).toEqual([7, 7, 7, 7, 7])
  })

  it('is the minimum at 0 and the maximum at 100', () => {
    expect([quantile([1, 2, 8], 0), quantile([1, 2, 8], 100)]).toEqual([1, 8])
  })

  it('refuses an empty set and a percentile outside 0–100', () => {
    expect(() => quantile([], 50)).toThrow(RangeError)
    expect(() => quantile([1], -1)).toThrow(RangeError)
    expect(() => quantile([1], 101)).toThrow(RangeError)
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError)
  })
})

describe('mean', () => {
  it('is the arithmetic mean', () => {
    expect(mean([1, 2, 3, 10])).toBe(4)
    expect(mean([-2, 2])).toBe(0)
  })

  it('refuses an empty set', () => {
    expect(() => mean([])).toThrow(RangeError)
  })
})
