import { describe, expect, it } from 'vitest'
import { assertK, bucketStats, isSuppressed } from '../../server/compare/bucket-stats.ts'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
const T = 1_700_000_000_000

describe('bucketStats', () => {
  it('suppresses k - 1 members and shows k (k = 3)', () => {
    expect(bucketStats(T, [5, 7], 3)).toEqual({ time: T, members: 2, suppressed: true })
    expect(bucketStats(T, [7, 5, 9], 3)).toEqual({ time: T, members: 3, p50: 7, mean: 7 })
  })

  it('suppresses k - 1 members and shows k (k = 4)', () => {
    expect(bucketStats(T, [1, 2, 3], 4)).toEqual({ time: T, members: 3, suppressed: true })
    expect(bucketStats(T, [4, 1, 3, 2], 4)).toEqual({ time: T, members: 4, p50: 2.5, mean: 2.5 })
  })

  it('gives a suppressed bucket exactly time, members and suppressed', () => {
    const bucket = bucketStats(T, [1, 2], 3)
    expect(Object.keys(bucket).sort()).toEqual(['members', 'suppressed', 'time'])
    expect(isSuppressed(bucket)).toBe(true)
  })

  it('suppresses an empty bucket', () => {
    expect(bucketStats(T, [], 3)).toEqual({ time: T, members: 0, suppressed: true })
  })

  it('adds quartiles from 5 members, not at 4', () => {
    expect(bucketStats(T, range(4), 3)).toEqual({ time: T, members: 4, p50: 2.5, mean: 2.5 })
    expect(bucketStats(T, range(5), 3)).toEqual({ time: T, members: 5, p25: 2, p50: 3, p75: 4, mean: 3 })
  })

  it('adds p10/p90 from 10 members, not at 9', () => {
    expect(bucketStats(T, range(9), 3)).toEqual({ time: T, members: 9, p25: 3, p50: 5, p75: 7, mean: 5 })
    // h = 9p: p10 → 0.9, p25 → 2.25, p50 → 4.5, p75 → 6.75, p90 → 8.1
    expect(bucketStats(T, range(10), 3)).toEqual({ time: T, members: 10, p10: 1.9, p25: 3.25, p50: 5.5, p75: 7.75, p90: 9.1, mean: 5.5 })
  })

  it('lists the figures in reading order, with no key left undefined', () => {
    expect(Object.keys(bucketStats(T, range(10), 3))).toEqual(['time', 'members', 'p10', 'p25', 'p50', 'p75', 'p90', 'mean'])
    expect(Object.keys(bucketStats(T, range(3), 3))).toEqual(['time', 'members', 'p50', 'mean'])
  })

  it('needs k members even where the finer figures would allow fewer (k = 7)', () => {
    expect(bucketStats(T, range(6), 7)).toEqual({ time: T, members: 6, suppressed: true })
    expect(bucketStats(T, range(7), 7)).toEqual({ time: T, members: 7, p25: 2.5, p50: 4, p75: 5.5, mean: 4 })
  })

  it('keeps k = 12 above the decile threshold', () => {
    expect(bucketStats(T, range(11), 12)).toEqual({ time: T, members: 11, suppressed: true })
    expect(bucketStats(T, range(12), 12)).toMatchObject({ members: 12, p10: 2.1, p90: 10.9 })
  })

  it('never shows a minimum or a maximum', () => {
    const bucket = bucketStats(T, range(50).map((n) => n + 100), 3)
    expect(Object.keys(bucket)).not.toContain('min')
    expect(Object.keys(bucket)).not.toContain('max')
    expect(Object.values(bucket)).not.toContain(101)
    expect(Object.values(bucket)).not.toContain(150)
  })

  it('leaves its input unsorted', () => {
    const values = [3, 1, 2]
    bucketStats(T, values, 3)
    expect(values).toEqual([3, 1, 2])
  })
})

describe('assertK', () => {
  it('refuses k below 3 or not whole', () => {
    for (const k of [2, 0, -3, 2.9, 3.5, Number.NaN]) expect(() => assertK(k), String(k)).toThrow(RangeError)
    expect(() => bucketStats(T, range(5), 2)).toThrow(RangeError)
  })

  it('accepts 3 and more', () => {
    expect(() => { assertK(3); assertK(50) }).not.toThrow()
  })
})
