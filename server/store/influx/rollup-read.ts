import { floorTo } from '../buckets.ts'
import { rowsOf, type InfluxHttp } from './http.ts'
import { decodeTag } from './escape.ts'
import { counterStepsQuery, firstInQuery, gaugeBucketsQuery, lastBeforeQuery } from './queries.ts'
import { MemberTotals, averageDevices, increaseOver } from './results.ts'
import { HOUR_MS, rawGaugeSumsQuery, rollupCounterQuery, rollupGaugeQuery, rollupHourlyGaugeQuery } from './rollup-queries.ts'
import type { MemberBucketQuery, MemberBucketValue } from '../reading-store.ts'

// memberBuckets over a window of whole buckets [from, to) whose part [from, split) the hourly
// rollup covers (rollup.ts): the rollup answers that part and raw readings the rest
// [split, to), combined so the result is the raw path's (store.ts), up to the order in which
// floating-point sums are added.

const deviceKey = (row: Record<string, unknown>): string => `${String(row.member)}\u0000${String(row.device)}`

/**
 * The rollup part is read as this many time slices at once: InfluxDB 1.6 runs one query's
 * series on about one core, and a 7-day 1 h gauge query halves to ~55 % with two (bench/:
 * 140 → 85 ms on a busy 2-core machine).
 */
const SLICES = 2

/** [from, to) cut into SLICES consecutive ranges on bucket boundaries (fewer when short). */
export function slicesOf (from: number, to: number, bucketMs: number): Array<{ from: number, to: number }> {
  const buckets = Math.ceil((to - from) / bucketMs)
  const per = Math.max(1, Math.ceil(buckets / SLICES))
  const slices: Array<{ from: number, to: number }> = []
  for (let start = from; start < to; start += per * bucketMs) slices.push({ from: start, to: Math.min(to, start + per * bucketMs) })
  return slices
}

/** Runs one statement per slice, concurrently; the first statement's rows of each, in slice order. */
async function rowsPerSlice (http: InfluxHttp, statement: (from: number, to: number) => string, from: number, to: number, bucketMs: number): Promise<Array<Record<string, unknown>>> {
  const results = await Promise.all(slicesOf(from, to, bucketMs).map((slice) => http.query(statement(slice.from, slice.to))))
  return results.flatMap((result) => rowsOf(result[0]))
}

export async function rollupMemberBuckets (http: InfluxHttp, query: MemberBucketQuery, window: { from: number, to: number }, split: number): Promise<MemberBucketValue[]> {
  return query.kind === 'gauge' ? await gauges(http, query, window, split) : await counters(http, query, window, split)
}

/**
 * 1 h buckets: the rollup's buckets and the raw tail's never share a bucket (split is on the
 * hour), so each part is answered on its own. Longer buckets: a device's mean over a bucket is
 * its sum over its count, and the bucket holding `split` gets both parts, so sums and counts are
 * added before dividing; then members average their devices.
 */
async function gauges (http: InfluxHttp, query: MemberBucketQuery, { from, to }: { from: number, to: number }, split: number): Promise<MemberBucketValue[]> {
  if (query.bucketMs === HOUR_MS) {
    const [rolled, tail] = await Promise.all([
      rowsPerSlice(http, (a, b) => rollupHourlyGaugeQuery(query, a, b), from, split, HOUR_MS),
      split < to ? http.query(gaugeBucketsQuery(query, { from: split, to })) : Promise.resolve([])
    ])
    const members = averageDevices(rolled.map((row) => ({ time: Number(row.time), member: row.member, mean: Number(row.mean), devices: Number(row.devices) })))
    const tailMembers = averageDevices(rowsOf(tail[0]).map((row) => ({ time: Number(row.time), member: row.member, mean: Number(row.value) })))
    // Both parts are in order, and every tail bucket starts at or after the split.
    return [...members, ...tailMembers]
  }
  const [rolled, tail] = await Promise.all([
    rowsPerSlice(http, (a, b) => rollupGaugeQuery(query, a, b), from, split, query.bucketMs),
    split < to ? http.query(rawGaugeSumsQuery(query, split, to)) : Promise.resolve([])
  ])
  const devices = new Map<string, { time: number, member: unknown, sum: number, count: number }>()
  for (const row of [...rolled, ...rowsOf(tail[0])]) {
    const time = Number(row.time)
    const key = `${time}\u0000${deviceKey(row)}`
    const device = devices.get(key)
    if (device === undefined) devices.set(key, { time, member: row.member, sum: Number(row.sum), count: Number(row.count) })
    else { device.sum += Number(row.sum); device.count += Number(row.count) }
  }
  return averageDevices([...devices.values()].map(({ time, member, sum, count }) => ({ time, member, mean: sum / count })))
}

/**
 * An hour's increase is its own (`inc`, between its readings) plus the step from the device's
 * previous reading to the hour's first — the previous hour's `last`, or for the window's first
 * hour the last reading before the window. Walking each device's hours in time order chains
 * them; the raw tail then continues from the last hour's `last`.
 */
async function counters (http: InfluxHttp, query: MemberBucketQuery, { from, to }: { from: number, to: number }, split: number): Promise<MemberBucketValue[]> {
  const tail = split < to
  const [rolled, before, steps, firsts] = await Promise.all([
    rowsPerSlice(http, (a, b) => rollupCounterQuery(query, a, b), from, split, HOUR_MS),
    http.query(lastBeforeQuery(query, from)),
    tail ? http.query(counterStepsQuery(query, { from: split, to })) : Promise.resolve([]),
    tail ? http.query(firstInQuery(query, split, to)) : Promise.resolve([])
  ])
  const previous = new Map(rowsOf(before[0]).map((row) => [deviceKey(row), Number(row.value)]))
  const totals = new MemberTotals()
  // InfluxDB returns each (member, device) series' rows in time order, and the slices come in order.
  for (const row of rolled) {
    const key = deviceKey(row)
    const time = Number(row.time)
    // Every hour adds, even with 0: a bucket whose only reading is a device's first shows as 0, as on the raw path.
    totals.add(floorTo(time, query.bucketMs), row.member, Number(row.inc) + increaseOver(previous.get(key), Number(row.first)))
    previous.set(key, Number(row.last))
  }
  for (const row of rowsOf(steps[0])) totals.add(Number(row.time), row.member, Number(row.value))
  for (const row of rowsOf(firsts[0])) {
    totals.add(floorTo(Number(row.time), query.bucketMs), row.member, increaseOver(previous.get(deviceKey(row)), Number(row.value)))
  }
  return totals.values()
}
