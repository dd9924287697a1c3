import { mean, quantile } from './quantile.ts'

// The anonymity rule (DESIGN.md, "Comparisons"): a bucket shows its distribution only when
// at least k distinct members contributed, and finer percentiles need more members — with
// fewer, a p10 or a quartile sits too close to one identifiable member. A bucket below k is
// suppressed, not shown with fewer. Never a min or a max: they are one member's value by
// definition, whatever the count.
export const MIN_K = 3

export interface ShownBucket {
  time: number
  members: number
  p10?: number
  p25?: number
  p50: number
  p75?: number
  p90?: number
  mean: number
}

/** Exactly these three keys, so a suppressed bucket cannot carry a stray figure. */
export interface SuppressedBucket { time: number, members: number, suppressed: true }

export type BucketStats = ShownBucket | SuppressedBucket

export const isSuppressed = (bucket: BucketStats): bucket is SuppressedBucket => 'suppressed' in bucket

/** Members a bucket needs before each figure is shown (on top of k). */
export const QUARTILES_FROM = 5
export const DECILES_FROM = 10

export function assertK (k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be a whole number of at least ${MIN_K} (got ${k})`)
}

/** The published figures of one bucket, from the values of the members counted in it. */
export function bucketStats (time: number, values: readonly number[], k: number): BucketStats {
  assertK(k)
  const members = values.length
  if (members < k) return { time, members, suppressed: true }
  const sorted = [...values].sort((a, b) => a - b)
  const at = (percent: number): number => quantile(sorted, percent)
  // Built in one literal, in reading order, with no key set to undefined: callers (and the
  // tests) can rely on Object.keys listing only what is shown.
  return {
    time,
    members,
    ...(members >= DECILES_FROM ? { p10: at(10) } : {}),
    ...(members >= QUARTILES_FROM ? { p25: at(25) } : {}),
    p50: at(50),
    ...(members >= QUARTILES_FROM ? { p75: at(75) } : {}),
    ...(members >= DECILES_FROM ? { p90: at(90) } : {}),
    mean: mean(values)
  }
}
