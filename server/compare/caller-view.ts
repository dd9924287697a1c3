import { mean } from './quantile.ts'
import type { ShownRelease } from '../domain/release.ts'

// What the signed-in member sees on top of the community's releases: its own values,
// unperturbed (its own data), and where it stands — worked out from the published release
// only, never from the other members' values, so it tells the member nothing the release
// does not (docs/privacy.md). Data only; the dashboard words it ("lower than 70 % of restaurants").

/** How a percentile is read off a release: linear between the published quantiles, halfway to 0/100 beyond them. */
export const RANK_METHOD = 'interpolated-between-released-quantiles'

export interface CallerBucket {
  time: number
  value: number
  /** The release the caller is compared with, or undefined where it is suppressed or pending. */
  release?: ShownRelease
}

export interface CallerPoint {
  time: number
  /** The caller's own value: its own data, so shown even where the community is suppressed. */
  value: number
  /** Estimated percentile among the cohort, or null where there is no shown release or it has no quantiles (fewer than 10 members). */
  percentile: number | null
}

export interface CallerSummary {
  /** Buckets compared: the caller contributed and the release is shown. */
  buckets: number
  /** Mean of the per-bucket percentiles over the compared buckets that publish quantiles. */
  percentile: number | null
  /** Estimated share (%) of the cohort above the caller: 100 − percentile. */
  lowerThan: number | null
  /** At least this many members in every compared bucket (the smallest band's lower edge). */
  peers: number
  /** The caller's own mean over the compared buckets. */
  value: number | null
  /**
   * How far (%) the caller's mean lies above (+) or below (−) the mean of the published means
   * over the same buckets: the standing a cohort of fewer than 10 members allows, where no
   * quantile is published. Null where that mean is 0.
   */
  versusMean: number | null
}

export interface CallerView { points: CallerPoint[], summary: CallerSummary }

/** The caller's percentile in a release, from its published quantiles; null when it publishes none (a cohort under 10). */
export function releasePercentile (value: number, release: ShownRelease): number | null {
  const known = ([[10, release.p10], [25, release.p25], [50, release.p50], [75, release.p75], [90, release.p90]] as const)
    .flatMap(([percent, figure]) => figure === undefined ? [] : [[percent, figure] as const])
  if (known.length === 0) return null
  // Perturbed quantiles are not always in order; sorting the figures keeps the curve monotone.
  const figures = known.map(([, figure]) => figure).sort((a, b) => a - b)
  const points = known.map(([percent], i) => [percent, figures[i]!] as const)
  const [firstPercent, first] = points[0]!
  const [lastPercent, last] = points[points.length - 1]!
  if (value < first) return firstPercent / 2
  if (value > last) return (100 + lastPercent) / 2
  for (let i = 1; i < points.length; i++) {
    const [p0, v0] = points[i - 1]!
    const [p1, v1] = points[i]!
    if (value <= v1) return v1 === v0 ? (p0 + p1) / 2 : p0 + (p1 - p0) * (value - v0) / (v1 - v0)
  }
  return firstPercent // one point, value equal to it
}

export function callerView (buckets: readonly CallerBucket[]): CallerView {
  const points = buckets.map(({ time, value, release }): CallerPoint =>
    ({ time, value, percentile: release === undefined ? null : roundOrNull(releasePercentile(value, release)) }))
  const compared = buckets.filter((bucket) => bucket.release !== undefined)
  if (compared.length === 0) return { points, summary: { buckets: 0, percentile: null, lowerThan: null, peers: 0, value: null, versusMean: null } }
  const ranked = points.flatMap((point) => point.percentile === null ? [] : [point.percentile])
  const percentile = ranked.length === 0 ? null : round1(mean(ranked))
  const value = mean(compared.map((bucket) => bucket.value))
  const communityMean = mean(compared.map((bucket) => bucket.release!.mean))
  return {
    points,
    summary: {
      buckets: compared.length,
      percentile,
      lowerThan: percentile === null ? null : round1(100 - percentile),
      peers: Math.min(...compared.map((bucket) => bucket.release!.members)),
      value,
      versusMean: communityMean === 0 ? null : round1(100 * (value / communityMean - 1))
    }
  }
}

const round1 = (value: number): number => Math.round(value * 10) / 10
const roundOrNull = (value: number | null): number | null => value === null ? null : round1(value)
