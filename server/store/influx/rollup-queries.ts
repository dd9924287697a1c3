import { toDurationLiteral } from '../buckets.ts'
import { identifier, literal, tagEquals } from './escape.ts'
import type { MemberBucketQuery } from '../reading-store.ts'

// The InfluxQL of the hourly rollup `reading_1h` (rollup.ts): what recomputes an hour,
// what checks it against the raw readings, and what reads it for memberBuckets. Plain InfluxQL
// reads only (no continuous queries, no SELECT … INTO, no Flux), so it runs on 1.x, 2.x (v1
// compatibility) and 3.x alike.

export const HOUR_MS = 3_600_000
export const ROLLUP_MEASUREMENT = 'reading_1h'
/**
 * Per member, metric and hour: the mean of its devices' hourly means (`mean`) over `devices`
 * devices — the 1 h gauge comparison's own value, a quarter of reading_1h's points with 4
 * devices a member. InfluxDB 1.6 spends its time per point read and row returned: a 7-day
 * comparison over reading_1h (33,600 points) took ~140–200 ms, over this (8,400) ~60 ms.
 */
export const MEMBER_ROLLUP_MEASUREMENT = 'reading_member_1h'
export const ROLLUP_MEASUREMENTS = [ROLLUP_MEASUREMENT, MEMBER_ROLLUP_MEASUREMENT] as const

const RAW = identifier('reading')
const ROLLUP = identifier(ROLLUP_MEASUREMENT)
const VALUE = identifier('value')
const SERIES = ['member', 'device', 'sector', 'metric'].map(identifier).join(', ')
const BY_DEVICE = `${identifier('member')}, ${identifier('device')}`

const ms = (time: number): string => `${Math.trunc(time)}ms`
const window = (from: number, to: number): string => `time >= ${ms(from)} AND time < ${ms(to)}`

/**
 * Every series' sum, count, min and max per hour of [from, to). One statement over many hours:
 * InfluxDB 1.x decodes whole TSM blocks (~1,000 points, days of a series), so an hour costs
 * nearly what a day does, and each aggregate is its own pass (bench: 24 h of 600 series, 4
 * aggregates ~2 s; one hour alone ~0.5 s).
 */
export function hourStatsQuery (from: number, to: number): string {
  return `SELECT sum(${VALUE}) AS "sum", count(${VALUE}) AS "count", min(${VALUE}) AS "min", max(${VALUE}) AS "max" FROM ${RAW}` +
    ` WHERE ${window(from, to)} GROUP BY time(1h), ${SERIES} fill(none)`
}

/**
 * Counters only (the embedded store keeps increases only for them too), two statements: each
 * hour's first and last value, and the sum of counterStepsQuery's per-reading increase (see
 * queries.ts) per hour. DIFFERENCE over raw values takes no GROUP BY time, so the steps run
 * over the whole range and an hour's sum includes the step from the previous hour's last reading
 * to its first; the caller takes that step out (it has both values) to keep `inc` the hour's own.
 */
export function counterHoursQuery (metrics: readonly string[], from: number, to: number): string {
  const filter = `(${metrics.map((metric) => `${identifier('metric')} = ${literal(metric)}`).join(' OR ')}) AND ${window(from, to)}`
  const steps = `SELECT difference(${VALUE}) AS d, moving_average(${VALUE}, 2) AS m FROM ${RAW} WHERE ${filter} GROUP BY ${SERIES}`
  const increases = `SELECT (d + abs(d)) / 2 - floor(d / (2 * abs(d) + 1)) * (m + d / 2) AS inc FROM (${steps}) GROUP BY ${SERIES}`
  return `SELECT first(${VALUE}) AS "first", last(${VALUE}) AS "last" FROM ${RAW} WHERE ${filter} GROUP BY time(1h), ${SERIES} fill(none); ` +
    `SELECT sum(inc) AS inc FROM (${increases}) WHERE ${window(from, to)} GROUP BY time(1h), ${SERIES} fill(none)`
}

/**
 * Reconciliation: readings per hour in the raw data, what the rollup believes it summarised,
 * and device-series per hour in reading_1h against the devices the member rollup averaged.
 */
export function hourCountsQuery (from: number, to: number): string {
  return `SELECT count(${VALUE}) AS n FROM ${RAW} WHERE ${window(from, to)} GROUP BY time(1h) fill(none); ` +
    `SELECT sum("count") AS n FROM ${ROLLUP} WHERE ${window(from, to)} GROUP BY time(1h) fill(none); ` +
    `SELECT count("count") AS n FROM ${ROLLUP} WHERE ${window(from, to)} GROUP BY time(1h) fill(none); ` +
    `SELECT sum("devices") AS n FROM ${identifier(MEMBER_ROLLUP_MEASUREMENT)} WHERE ${window(from, to)} GROUP BY time(1h) fill(none)`
}

/** The time of the newest raw reading before `end` (one block per series, not a scan). */
export function newestRawBeforeQuery (end: number): string {
  return `SELECT ${VALUE} FROM ${RAW} WHERE time < ${ms(end)} ORDER BY time DESC LIMIT 1`
}

function metricFilter (query: MemberBucketQuery, from: number, to: number): string {
  return [tagEquals('metric', query.metric), ...(query.sector === undefined ? [] : [tagEquals('sector', query.sector)]), window(from, to)].join(' AND ')
}

/**
 * Gauges in 1 h buckets: the member rollup's points as they are (one per member and hour; two
 * if the member changed sector within the hour, which the caller weighs by devices).
 */
export function rollupHourlyGaugeQuery (query: MemberBucketQuery, from: number, to: number): string {
  return `SELECT "mean", "devices" FROM ${identifier(MEMBER_ROLLUP_MEASUREMENT)} WHERE ${metricFilter(query, from, to)} GROUP BY ${identifier('member')}`
}

/** Gauges in longer buckets: each device's sum and count per bucket; the store divides and averages devices. */
export function rollupGaugeQuery (query: MemberBucketQuery, from: number, to: number): string {
  return `SELECT sum("sum") AS "sum", sum("count") AS "count" FROM ${ROLLUP} WHERE ${metricFilter(query, from, to)}` +
    ` GROUP BY time(${toDurationLiteral(query.bucketMs)}), ${BY_DEVICE} fill(none)`
}

/** The same from raw readings, for the part of a window the rollup does not cover yet. */
export function rawGaugeSumsQuery (query: MemberBucketQuery, from: number, to: number): string {
  return `SELECT sum(${VALUE}) AS "sum", count(${VALUE}) AS "count" FROM ${RAW} WHERE ${metricFilter(query, from, to)}` +
    ` GROUP BY time(${toDurationLiteral(query.bucketMs)}), ${BY_DEVICE} fill(none)`
}

/** Counters from the rollup: every hour of every device, in time order, to chain the hours' edges. */
export function rollupCounterQuery (query: MemberBucketQuery, from: number, to: number): string {
  return `SELECT "inc", "first", "last" FROM ${ROLLUP} WHERE ${metricFilter(query, from, to)} GROUP BY ${BY_DEVICE}`
}

export function dropMemberRollupQuery (member: string): string {
  return ROLLUP_MEASUREMENTS.map((measurement) => `DROP SERIES FROM ${identifier(measurement)} WHERE ${tagEquals('member', member)}`).join('; ')
}
