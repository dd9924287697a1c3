import type { CompareBucket, Comparison } from '../api/schemas.ts'

// Pure transforms from a comparison to chart points and to the facts its text summary
// states. A suppressed bucket becomes null in every series, which Chart.js draws as a gap
// (spanGaps: false): the line must not be drawn across a time nobody may see.
export interface XY { x: number, y: number | null }

export interface BandSeries {
  p25: XY[]
  p50: XY[]
  p75: XY[]
  me: XY[]
}

const shown = (bucket: CompareBucket): boolean => bucket.suppressed !== true && typeof bucket.p50 === 'number'
const y = (bucket: CompareBucket, value: number | null | undefined): number | null =>
  shown(bucket) && typeof value === 'number' ? value : null

export function bandSeries (comparison: Comparison): BandSeries {
  const { buckets } = comparison
  return {
    p25: buckets.map((b) => ({ x: b.time, y: y(b, b.p25) })),
    p50: buckets.map((b) => ({ x: b.time, y: y(b, b.p50) })),
    p75: buckets.map((b) => ({ x: b.time, y: y(b, b.p75) })),
    me: (comparison.me?.points ?? []).map((p) => ({ x: p.time, y: p.value }))
  }
}

export interface BandFacts {
  total: number
  suppressed: number
  /** Contributing members in the latest bucket and at most over the window. */
  latestMembers: number
  maxMembers: number
  /** The latest shown bucket's figures, if any bucket is shown. */
  latest?: { p50: number, p25?: number, p75?: number }
}

export function bandFacts (comparison: Comparison): BandFacts {
  const { buckets } = comparison
  const last = buckets[buckets.length - 1]
  const latestShown = [...buckets].reverse().find(shown)
  return {
    total: buckets.length,
    suppressed: buckets.filter((b) => !shown(b)).length,
    latestMembers: last?.members ?? 0,
    maxMembers: buckets.reduce((max, b) => Math.max(max, b.members), 0),
    ...(latestShown === undefined
      ? {}
      : {
          latest: {
            p50: latestShown.p50 as number,
            ...(typeof latestShown.p25 === 'number' ? { p25: latestShown.p25 } : {}),
            ...(typeof latestShown.p75 === 'number' ? { p75: latestShown.p75 } : {})
          }
        })
  }
}

/** How many buckets a suppressed-gap note is about: those with members but fewer than k, plus empty ones. */
export const hasGaps = (facts: BandFacts): boolean => facts.suppressed > 0
