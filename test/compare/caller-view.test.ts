import { describe, expect, it } from 'vitest'
import { callerView, releasePercentile } from '../../server/compare/caller-view.ts'
import type { ShownRelease } from '../../server/domain/release.ts'

// The caller's standing, read off a published release only (server/compare/caller-view.ts).
const base = { members: 10, membersBand: '10–19', meanInterval: [9, 11] as [number, number] }
const quartiles: ShownRelease = { time: 0, ...base, p25: 8, p50: 10, p75: 14, mean: 10.5 }
const meanOnly: ShownRelease = { time: 3_600_000, members: 5, membersBand: '5–9', mean: 20, meanInterval: [17, 23] }

describe('caller view', () => {
  it('reads a percentile between the published quantiles, and halfway to 0 or 100 beyond them', () => {
    expect(releasePercentile(8, quartiles)).toBe(25)
    expect(releasePercentile(12, quartiles)).toBe(62.5)
    expect(releasePercentile(1, quartiles)).toBe(12.5)
    expect(releasePercentile(99, quartiles)).toBe(87.5)
  })

  it('gives no percentile where a cohort under 10 publishes no quantile, and the standing against the mean instead', () => {
    expect(releasePercentile(30, meanOnly)).toBeNull()
    const view = callerView([{ time: 0, value: 12, release: quartiles }, { time: 3_600_000, value: 30, release: meanOnly }, { time: 7_200_000, value: 5 }])
    expect(view.points).toEqual([{ time: 0, value: 12, percentile: 62.5 }, { time: 3_600_000, value: 30, percentile: null }, { time: 7_200_000, value: 5, percentile: null }])
    // Own mean 21 over the two compared buckets; their published means average 15.25.
    expect(view.summary).toEqual({ buckets: 2, percentile: 62.5, lowerThan: 37.5, peers: 5, value: 21, versusMean: 37.7 })
  })

  it('compares nothing where no release is shown', () => {
    expect(callerView([{ time: 0, value: 3 }]).summary).toEqual({ buckets: 0, percentile: null, lowerThan: null, peers: 0, value: null, versusMean: null })
  })
})
