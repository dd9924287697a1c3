import type { MemberBucketValue } from '../store/reading-store.ts'
import { type BucketStats, assertK, bucketStats, isSuppressed } from './bucket-stats.ts'
import { type CallerBucket, type CallerView, callerView } from './caller-view.ts'
import { normalize } from './normalize.ts'

// The comparison engine: per-member aggregates of one metric and window in, anonymous
// buckets (and the caller's own view) out. Pure — the service fetches, this computes.

export interface CompareOptions {
  /** Minimum distinct members for a bucket to be shown; at least 3. */
  k: number
  /** Members whose values make up the distribution (consenting, same cohort). Default: all in `values`. */
  peers?: ReadonlySet<string>
  /** The member asking: it gets its own values and ranks, whether or not it is a peer. */
  caller?: string
  /** member → divisor (floor area, seats, rooms): members without one are left out, values divided. */
  divisors?: ReadonlyMap<string, number>
  /**
   * Bucket start times to report, e.g. every bucket of the window. Default: the times a peer or
   * the caller has a value at. A time only excluded members have a value at is never reported
   * by default: the bucket's presence alone would tell that someone left out was there.
   */
  times?: readonly number[]
}

export interface Comparison {
  buckets: BucketStats[]
  /** Present when a caller was named and has a value in at least one reported bucket. */
  me?: CallerView
}

export function compareBuckets (values: readonly MemberBucketValue[], options: CompareOptions): Comparison {
  assertK(options.k)
  const { k, peers, caller } = options
  const isPeer = (member: string): boolean => peers === undefined || peers.has(member)
  const input = options.divisors === undefined ? values : normalize(values, options.divisors)

  const byTime = new Map<number, Map<string, number>>()
  for (const { time, member, value } of input) {
    if (!isPeer(member) && member !== caller) continue
    // The store gives one value per member and bucket; should one repeat, it replaces the
    // earlier rather than counting the member twice toward k.
    const bucket = byTime.get(time) ?? new Map<string, number>()
    byTime.set(time, bucket.set(member, value))
  }
  const times = options.times ?? [...byTime.keys()].sort((a, b) => a - b)

  const buckets: BucketStats[] = []
  const callerBuckets: CallerBucket[] = []
  for (const time of times) {
    const present = byTime.get(time) ?? new Map<string, number>()
    const counted = [...present].filter(([member]) => isPeer(member))
    const stats = bucketStats(time, counted.map(([, value]) => value), k)
    buckets.push(stats)
    const own = caller === undefined ? undefined : present.get(caller)
    if (own !== undefined) {
      const others = new Map(counted.filter(([member]) => member !== caller))
      callerBuckets.push({ time, value: own, shown: !isSuppressed(stats), others })
    }
  }
  return callerBuckets.length === 0 ? { buckets } : { buckets, me: callerView(callerBuckets) }
}
