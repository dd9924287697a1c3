import { describe, expect, it } from 'vitest'
import { regularizedBeta, smoothQuantile } from '../../../server/compare/release/smooth-quantile.ts'

describe('Harrell–Davis quantiles', () => {
  it('computes the regularized incomplete beta function', () => {
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12)
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12)
    // I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b
    expect(regularizedBeta(0.4, 3, 1)).toBeCloseTo(0.064, 12)
    expect(regularizedBeta(0.4, 1, 3)).toBeCloseTo(1 - 0.6 ** 3, 12)
    // I_x(a, b) = 1 − I_{1−x}(b, a), on either side of the switch to the symmetric fraction
    expect(regularizedBeta(0.62, 30.5, 20.5) + regularizedBeta(0.38, 20.5, 30.5)).toBeCloseTo(1, 12)
  })

  it('is a weighted mean of every value, weights summing to 1 (R Hmisc::hdquantile)', () => {
    // hdquantile(c(1, 2, 3), 0.5) = 2; hdquantile(c(1, 2, 10), 0.5) = 3.555556 (weights .259, .481, .259)
    expect(smoothQuantile([1, 2, 3], 50)).toBeCloseTo(2, 10)
    expect(smoothQuantile([1, 2, 10], 50)).toBeCloseTo(1 * 0.259259 + 2 * 0.481481 + 10 * 0.259259, 5)
    expect(smoothQuantile([5, 5, 5, 5], 25)).toBeCloseTo(5, 12)
  })

  it('is never one of the values when they differ', () => {
    const values = [3, 8, 13, 21, 34]
    for (const percent of [10, 25, 50, 75, 90]) expect(values).not.toContain(smoothQuantile(values, percent))
  })
})
