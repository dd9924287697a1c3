import type { MemberBucketValue } from '../../store/reading-store.ts'
import { type GridSize, bucketStart } from './local-grid.ts'

// Per-member values on the release grid, from the store's hourly per-member values. Hours
// stay as they are; a local day or week is the mean of the member's hourly values for a
// gauge (each hour it reported weighs the same) and the sum of its hourly increases for a
// counter. Both the releases and the member's own line are built here, so they always agree.

/** bucket start → member → value. */
export function gridValues (hourly: readonly MemberBucketValue[], size: GridSize, timeZone: string, kind: 'gauge' | 'counter'): Map<number, Map<string, number>> {
  const sums = new Map<number, Map<string, { sum: number, count: number }>>()
  const startOf = new Map<number, number>()
  for (const { time, member, value } of hourly) {
    let start = startOf.get(time)
    if (start === undefined) startOf.set(time, start = bucketStart(time, size, timeZone))
    let bucket = sums.get(start)
    if (bucket === undefined) sums.set(start, bucket = new Map())
    const entry = bucket.get(member)
    if (entry === undefined) bucket.set(member, { sum: value, count: 1 })
    else { entry.sum += value; entry.count++ }
  }
  const out = new Map<number, Map<string, number>>()
  for (const [start, bucket] of [...sums].sort(([a], [b]) => a - b)) {
    out.set(start, new Map([...bucket].map(([member, { sum, count }]) => [member, kind === 'counter' ? sum : sum / count])))
  }
  return out
}
