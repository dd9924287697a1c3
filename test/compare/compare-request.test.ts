import { describe, expect, it } from 'vitest'
import { MAX_BUCKETS, compareRequestSchema } from '../../server/compare/compare-request.ts'
import { HOUR, T0 } from './fixtures.ts'

describe('compareRequestSchema', () => {
  const valid = { metric: 'co2', from: T0, to: T0 + HOUR, bucketMs: HOUR }

  it('accepts a well-formed request on the release grid (1 h, 1 d, 1 w)', () => {
    expect(compareRequestSchema.parse({ ...valid, sector: 'office', per: 'm2', caller: 'm-1' }))
      .toEqual({ ...valid, sector: 'office', per: 'm2', caller: 'm-1' })
    for (const bucketMs of [HOUR, 24 * HOUR, 168 * HOUR]) expect(compareRequestSchema.safeParse({ ...valid, bucketMs }).success).toBe(true)
  })

  it('names the field at fault', () => {
    const paths = (input: unknown): string[] => compareRequestSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths({ ...valid, metric: '1co2' })).toEqual(['metric'])
    expect(paths({ ...valid, to: T0 - 1 })).toEqual(['to'])
    expect(paths({ ...valid, bucketMs: 2 * HOUR })).toEqual(['bucketMs'])
    expect(paths({ ...valid, bucketMs: 1000 })).toEqual(['bucketMs'])
    expect(paths({ ...valid, to: T0 + HOUR * (MAX_BUCKETS + 1) })).toEqual(['bucketMs'])
    expect(paths({ ...valid, caller: '' })).toEqual(['caller'])
  })
})
