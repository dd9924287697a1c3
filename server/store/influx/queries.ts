import { floorTo, toDurationLiteral } from '../buckets.ts'
import { identifier, tagEquals } from './escape.ts'
import type { MemberBucketQuery, RawQuery, SeriesQuery } from '../reading-store.ts'

// The InfluxQL each ReadingStore query becomes. Every value that comes from outside goes
// through tagEquals (encoded and escaped); numbers are integers we computed.
//
// Time windows match the embedded store: `from` is floored to the bucket, and `to` is raised
// to the end of its bucket, so a bucket returned is always a whole bucket (the embedded store
// reads minute/hour rollups and cannot cut a bucket short).

const M = identifier('reading')
const VALUE = identifier('value')

export const ceilTo = (time: number, size: number): number => Math.ceil(time / size) * size

const ms = (time: number): string => `${Math.trunc(time)}ms`
const window = (from: number, to: number): string => `time >= ${ms(from)} AND time < ${ms(to)}`

function where (clauses: Array<string | false | undefined>): string {
  return clauses.filter((clause): clause is string => typeof clause === 'string').join(' AND ')
}

export function bucketWindow (query: { from: number, to: number, bucketMs: number }): { from: number, to: number } {
  return { from: floorTo(query.from, query.bucketMs), to: ceilTo(query.to, query.bucketMs) }
}

/** Raw readings, newest first; the caller settles ties at the last time (see InfluxReadingStore.readings). */
export function rawReadingsQuery (query: RawQuery, window_: { from: number, to: number }, limit?: number): string {
  const filter = where([
    tagEquals('member', query.member),
    query.metric !== undefined && tagEquals('metric', query.metric),
    query.device !== undefined && tagEquals('device', query.device),
    window(window_.from, window_.to)
  ])
  const tags = ['device', 'sector', 'metric'].map(identifier).join(', ')
  return `SELECT ${VALUE}, ${tags} FROM ${M} WHERE ${filter} ORDER BY time DESC${limit === undefined ? '' : ` LIMIT ${Math.trunc(limit)}`}`
}

export function seriesQuery (query: SeriesQuery): string {
  const { from, to } = bucketWindow(query)
  const filter = where([
    tagEquals('member', query.member),
    tagEquals('metric', query.metric),
    query.device !== undefined && tagEquals('device', query.device),
    window(from, to)
  ])
  return `SELECT mean(${VALUE}) AS mean, min(${VALUE}) AS min, max(${VALUE}) AS max, count(${VALUE}) AS count FROM ${M}` +
    ` WHERE ${filter} GROUP BY time(${toDurationLiteral(query.bucketMs)}) fill(none)`
}

function metricFilter (query: MemberBucketQuery, from: number | undefined, to: number): string {
  return where([
    tagEquals('metric', query.metric),
    query.sector !== undefined && tagEquals('sector', query.sector),
    from === undefined ? `time < ${ms(to)}` : window(from, to)
  ])
}

const byMember = `${identifier('member')}, ${identifier('device')}`

/**
 * Gauges: each device's mean over the bucket, grouped in the database; the store then averages
 * a member's devices (a handful of rows). The same in one InfluxQL statement needs a subquery,
 * which InfluxDB 1.6 runs ~5× slower (bench/: 285 ms against 57 ms for 7 days).
 */
export function gaugeBucketsQuery (query: MemberBucketQuery, { from, to } = bucketWindow(query)): string {
  const bucket = toDurationLiteral(query.bucketMs)
  return `SELECT mean(${VALUE}) AS value FROM ${M} WHERE ${metricFilter(query, from, to)} GROUP BY time(${bucket}), ${byMember} fill(none)`
}

/**
 * Counters, Prometheus-style: the increase at a reading is its value minus the device's previous
 * value, or — when the value dropped, i.e. the counter restarted from zero — the value itself.
 * A bucket's increase is the sum over its readings, summed across the member's devices.
 *
 * NON_NEGATIVE_DIFFERENCE alone would drop the increase at a reset (it discards negative
 * differences instead of counting the value). InfluxQL has no conditional, so per reading:
 *   d = difference(value) = v[i] - v[i-1],  m = moving_average(value, 2) = (v[i-1] + v[i]) / 2
 *   v[i] = m + d/2,   positive part (d + |d|)/2,
 *   reset = -floor(d / (2|d| + 1))  → 1 when d < 0, else 0 (no division by zero, exact for any d)
 *   increase = (d + |d|)/2 + reset * (m + d/2)
 * (ABS, FLOOR, DIFFERENCE and MOVING_AVERAGE exist in 1.4+, 2.x and 3.x InfluxQL.)
 *
 * Those need a previous reading, so the first reading of each device in the window is handled by
 * counterEdgesQuery: its increase is taken against the device's last reading before the window
 * (0 for a device's very first reading), as the embedded store does at write time.
 */
export function counterStepsQuery (query: MemberBucketQuery, { from, to } = bucketWindow(query)): string {
  const bucket = toDurationLiteral(query.bucketMs)
  const steps = `SELECT difference(${VALUE}) AS d, moving_average(${VALUE}, 2) AS m FROM ${M}` +
    ` WHERE ${metricFilter(query, from, to)} GROUP BY ${byMember}`
  const increases = `SELECT (d + abs(d)) / 2 - floor(d / (2 * abs(d) + 1)) * (m + d / 2) AS inc FROM (${steps}) GROUP BY ${byMember}`
  return `SELECT sum(inc) AS value FROM (${increases}) WHERE ${window(from, to)} GROUP BY time(${bucket}), ${identifier('member')} fill(none)`
}

/** Two statements: each device's last reading before the window, and its first inside it. */
export function counterEdgesQuery (query: MemberBucketQuery): string {
  const { from, to } = bucketWindow(query)
  return `${lastBeforeQuery(query, from)}; ${firstInQuery(query, from, to)}`
}

/** Each device's last reading before `time`. */
export function lastBeforeQuery (query: MemberBucketQuery, time: number): string {
  return `SELECT last(${VALUE}) AS value FROM ${M} WHERE ${metricFilter(query, undefined, time)} GROUP BY ${byMember}`
}

/** Each device's first reading in [from, to). */
export function firstInQuery (query: MemberBucketQuery, from: number, to: number): string {
  return `SELECT first(${VALUE}) AS value FROM ${M} WHERE ${metricFilter(query, from, to)} GROUP BY ${byMember}`
}

/** Distinct members per metric and sector; `since` is floored to the hour like the embedded store's hourly rollup. */
export function presenceQuery (since: number): string {
  const perMember = `SELECT count(${VALUE}) AS c FROM ${M} WHERE time >= ${ms(floorTo(since, 3_600_000))}` +
    ` GROUP BY ${identifier('metric')}, ${identifier('sector')}, ${identifier('member')}`
  return `SELECT count(c) AS members FROM (${perMember}) GROUP BY ${identifier('metric')}, ${identifier('sector')}`
}

/** From the series index, not the data: no time range to scan. */
export function memberMetricsQuery (member: string): string {
  return `SHOW TAG VALUES FROM ${M} WITH KEY = ${identifier('metric')} WHERE ${tagEquals('member', member)}`
}

export function dropMemberQuery (member: string): string {
  return `DROP SERIES FROM ${M} WHERE ${tagEquals('member', member)}`
}
