import { describe, expect, it } from 'vitest'
import { MAX_BUCKETS, bucketWindow, compareRequestSchema } from '../../server/compare/compare-request.ts'
import { HOUR, T0 } from './fixtures.ts'

describe('bucketWindow', () => {
  it('widens the window to whole, epoch-aligned buckets', () => {
    expect(bucketWindow(T0 + 1, T0 + 2 * HOUR - 1, HOUR)).toEqual({ from: T0, to: T0 + 2 * HOUR, times: [T0, T0 + HOUR] })
    expect(bucketWindow(T0, T0 + 2 * HOUR, HOUR)).toEqual({ from: T0, to: T0 + 2 * HOUR, times: [T0, T0 + HOUR] })
    expect(bucketWindow(T0 + 10, T0 + 20, HOUR)).toEqual({ from: T0, to: T0 + HOUR, times: [T0] })
  })

  it('stops listing past the bucket limit', () => {
    expect(bucketWindow(0, 1000 * (MAX_BUCKETS + 50), 1000).times).toHaveLength(MAX_BUCKETS + 1)
  })
})

describe('compareRequestSchema', () => {
  const valid = { metric: 'co2', from: T0, to: T0 + HOUR, bucketMs: HOUR }

  it('accepts a well-formed request', () => {
    expect(compareRequestSchema.parse({ ...valid, sector: 'office', per: 'm2', caller: 'm-1' }))
      .toEqual({ ...valid, sector: 'office', per: 'm2', caller: 'm-1' })
  })

  it('names the field at fault', () => {
    const paths = (input: unknown): string[] => compareRequestSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths({ ...valid, metric: '1co2' })).toEqual(['metric'])
    expect(paths({ ...valid, to: T0 - 1 })).toEqual(['to'])
    expect(paths({ ...valid, bucketMs: 999 })).toEqual(['bucketMs'])
    expect(paths({ ...valid, bucketMs: 1000, to: T0 + 1000 * (MAX_BUCKETS + 1) })).toEqual(['bucketMs'])
    expect(paths({ ...valid, caller: '' })).toEqual(['caller'])
  })
})
