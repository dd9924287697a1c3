import { mean } from './quantile.ts'
import { percentileRank } from './percentile-rank.ts'

// What the signed-in member sees on top of the anonymous buckets: its own value, and where
// it stands (percentile-rank.ts) in each bucket the community is shown for. Data only — the
// dashboard words it ("lower than 70% of restaurants").

/** One bucket the caller contributed to. */
export interface CallerBucket {
  time: number
  value: number
  /** false when the bucket is suppressed: then no rank is given. */
  shown: boolean
  /** The counted members other than the caller, id → value. */
  others: ReadonlyMap<string, number>
}

export interface CallerPoint {
  time: number
  /** The caller's own value: its own data, so shown even where the community is suppressed. */
  value: number
  /** Percentile rank among the others, or null where the bucket is suppressed. */
  percentile: number | null
}

export interface CallerSummary {
  /** Buckets compared: the caller contributed and the bucket is shown. */
  buckets: number
  /** Mean of the per-bucket percentile ranks over the compared buckets. */
  percentile: number | null
  /**
   * Share (%) of peers whose window mean is above the caller's, ties counted half: the caller
   * is "lower than" that many peers. Window means are taken over the compared buckets only, so
   * a value in a suppressed bucket cannot leak through this figure.
   */
  lowerThan: number | null
  /** Peers in that window comparison. */
  peers: number
  /** The caller's own mean over the compared buckets. */
  value: number | null
}

export interface CallerView { points: CallerPoint[], summary: CallerSummary }

export function callerView (buckets: readonly CallerBucket[]): CallerView {
  const points = buckets.map(({ time, value, shown, others }): CallerPoint =>
    ({ time, value, percentile: shown ? percentileRank(value, [...others.values()]) : null }))
  const compared = buckets.filter((bucket) => bucket.shown)
  if (compared.length === 0) return { points, summary: { buckets: 0, percentile: null, lowerThan: null, peers: 0, value: null } }

  const peerValues = new Map<string, number[]>()
  for (const { others } of compared) {
    for (const [member, value] of others) {
      const list = peerValues.get(member)
      if (list === undefined) peerValues.set(member, [value])
      else list.push(value)
    }
  }
  const own = mean(compared.map((bucket) => bucket.value))
  const peerMeans = [...peerValues.values()].map(mean)
  const ranks = points.flatMap((point) => point.percentile === null ? [] : [point.percentile])
  return {
    points,
    summary: {
      buckets: compared.length,
      percentile: mean(ranks),
      // The rank of the mirrored values counts the peers above, by the same method and without
      // the rounding of 100 - rank. Every compared bucket has >= k members, so peers exist.
      lowerThan: percentileRank(-own, peerMeans.map((value) => -value)),
      peers: peerMeans.length,
      value: own
    }
  }
}
