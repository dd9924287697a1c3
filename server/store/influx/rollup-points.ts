import { Point } from '@influxdata/influxdb-client'
import { metricSpec } from '../../domain/metric-catalog.ts'
import { decodeTag } from './escape.ts'
import { rowsOf, type InfluxHttp } from './http.ts'
import { increaseOver } from './results.ts'
import { MEMBER_ROLLUP_MEASUREMENT, ROLLUP_MEASUREMENT, counterHoursQuery, hourStatsQuery } from './rollup-queries.ts'

// What one recompute of the hourly rollup writes (rollup.ts): the `reading_1h` point of
// every series and hour in [from, to), from the raw readings, and the `reading_member_1h` point
// of every member, metric and hour made from them.

/** sum, count, min and max for every series; first, last and inc for the catalog's counters. */
export async function rollupPoints (http: InfluxHttp, from: number, to: number): Promise<Point[]> {
  const stats = rowsOf((await http.query(hourStatsQuery(from, to)))[0])
  const counters = [...new Set(stats.map((row) => String(row.metric ?? '')))].filter((metric) => metricSpec(decodeTag(metric)).kind === 'counter')
  const edges = counters.length === 0 ? new Map<string, CounterHour>() : await counterHours(http, counters, from, to)
  const points = stats.map((row) => {
    // Tag values come back as stored (already encoded, escape.ts) and go out the same.
    const point = new Point(ROLLUP_MEASUREMENT)
      .tag('member', String(row.member ?? '')).tag('device', String(row.device ?? ''))
      .tag('sector', String(row.sector ?? '')).tag('metric', String(row.metric ?? ''))
      .floatField('sum', Number(row.sum)).intField('count', Number(row.count))
      .floatField('min', Number(row.min)).floatField('max', Number(row.max))
      .timestamp(Number(row.time))
    const counter = edges.get(`${seriesKey(row)}\u0000${Number(row.time)}`)
    if (counter !== undefined) point.floatField('first', counter.first).floatField('last', counter.last).floatField('inc', counter.inc)
    return point
  })
  return [...points, ...memberPoints(stats)]
}

/** Each member's mean of device means per metric and hour (the 1 h gauge comparison value). */
function memberPoints (stats: ReadonlyArray<Record<string, unknown>>): Point[] {
  const members = new Map<string, { row: Record<string, unknown>, means: number, devices: number }>()
  for (const row of stats) {
    const key = [row.member, row.sector, row.metric, row.time].map(String).join('\u0000')
    const entry = members.get(key)
    const mean = Number(row.sum) / Number(row.count)
    if (entry === undefined) members.set(key, { row, means: mean, devices: 1 })
    else { entry.means += mean; entry.devices++ }
  }
  return [...members.values()].map(({ row, means, devices }) => new Point(MEMBER_ROLLUP_MEASUREMENT)
    .tag('member', String(row.member ?? '')).tag('sector', String(row.sector ?? '')).tag('metric', String(row.metric ?? ''))
    .floatField('mean', means / devices).intField('devices', devices)
    .timestamp(Number(row.time)))
}

interface CounterHour { first: number, last: number, inc: number }

/** first, last and the hour's own increase per counter series and hour, keyed by series and hour. */
async function counterHours (http: InfluxHttp, metrics: readonly string[], from: number, to: number): Promise<Map<string, CounterHour>> {
  const [edges, steps] = await http.query(counterHoursQuery(metrics, from, to))
  const stepSums = new Map(rowsOf(steps).map((row) => [`${seriesKey(row)}\u0000${Number(row.time)}`, Number(row.inc)]))
  const out = new Map<string, CounterHour>()
  const previous = new Map<string, number>()
  // Each series' hours arrive in time order.
  for (const row of rowsOf(edges)) {
    const series = seriesKey(row)
    const key = `${series}\u0000${Number(row.time)}`
    const first = Number(row.first)
    const last = Number(row.last)
    const before = previous.get(series)
    // The steps ran over the whole range: the hour's sum includes the step into its first reading.
    const inc = (stepSums.get(key) ?? 0) - (before === undefined ? 0 : increaseOver(before, first))
    out.set(key, { first, last, inc })
    previous.set(series, last)
  }
  return out
}

function seriesKey (row: Record<string, unknown>): string {
  return [row.member, row.device, row.sector, row.metric].map((tag) => String(tag ?? '')).join('\u0000')
}
