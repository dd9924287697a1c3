import type { CompareBucket, Comparison } from '../api/schemas.ts'

// Pure transforms from a comparison to chart points and to the facts its text summary
// states. A suppressed bucket becomes null in every series, which Chart.js draws as a gap
// (spanGaps: false): the line must not be drawn across a time nobody may see. A shown bucket
// always has a mean and its interval; the median and quartiles only from 10 members
// (docs/privacy.md), so a small cohort is drawn as its mean between the interval's edges.
export interface XY { x: number, y: number | null }

export interface BandSeries {
  p25: XY[]
  p50: XY[]
  p75: XY[]
  mean: XY[]
  me: XY[]
  /** The edges of each release's interval for the true mean (docs/privacy.md, "Honest uncertainty"). */
  meanLow: XY[]
  meanHigh: XY[]
}

const shown = (bucket: CompareBucket): boolean => bucket.suppressed !== true && bucket.pending !== true && typeof bucket.mean === 'number'
const y = (bucket: CompareBucket, value: number | null | undefined): number | null =>
  shown(bucket) && typeof value === 'number' ? value : null

export function bandSeries (comparison: Comparison): BandSeries {
  const { buckets } = comparison
  return {
    p25: buckets.map((b) => ({ x: b.time, y: y(b, b.p25) })),
    p50: buckets.map((b) => ({ x: b.time, y: y(b, b.p50) })),
    p75: buckets.map((b) => ({ x: b.time, y: y(b, b.p75) })),
    mean: buckets.map((b) => ({ x: b.time, y: y(b, b.mean) })),
    me: (comparison.me?.points ?? []).map((p) => ({ x: p.time, y: p.value })),
    meanLow: buckets.map((b) => ({ x: b.time, y: y(b, b.meanInterval?.[0]) })),
    meanHigh: buckets.map((b) => ({ x: b.time, y: y(b, b.meanInterval?.[1]) }))
  }
}

export interface BandFacts {
  total: number
  suppressed: number
  /** Contributing members (a band such as "5–9") in the latest shown bucket and at most over the window; "0" when none is shown. */
  latestMembers: string
  maxMembers: string
  /** The latest shown bucket's figures, if any bucket is shown (the median and quartiles from 10 members). */
  latest?: { mean: number, meanLow: number, meanHigh: number, p50?: number, p25?: number, p75?: number }
}

export function bandFacts (comparison: Comparison): BandFacts {
  const { buckets } = comparison
  const latestShown = [...buckets].reverse().find(shown)
  // Bands, never exact counts (docs/privacy.md); pending buckets (not released yet) are not gaps.
  const largest = buckets.filter(shown).reduce<CompareBucket | undefined>((max, b) => (b.members ?? 0) > (max?.members ?? 0) ? b : max, undefined)
  return {
    total: buckets.filter((b) => b.pending !== true).length,
    suppressed: buckets.filter((b) => b.pending !== true && !shown(b)).length,
    latestMembers: latestShown?.membersBand ?? String(latestShown?.members ?? 0),
    maxMembers: largest?.membersBand ?? String(largest?.members ?? 0),
    ...(latestShown === undefined
      ? {}
      : {
          latest: {
            mean: latestShown.mean as number,
            meanLow: latestShown.meanInterval?.[0] ?? latestShown.mean as number,
            meanHigh: latestShown.meanInterval?.[1] ?? latestShown.mean as number,
            ...(typeof latestShown.p50 === 'number' ? { p50: latestShown.p50 } : {}),
            ...(typeof latestShown.p25 === 'number' ? { p25: latestShown.p25 } : {}),
            ...(typeof latestShown.p75 === 'number' ? { p75: latestShown.p75 } : {})
          }
        })
  }
}

/** How many buckets a suppressed-gap note is about: those with members but fewer than k, plus empty ones. */
export const hasGaps = (facts: BandFacts): boolean => facts.suppressed > 0
