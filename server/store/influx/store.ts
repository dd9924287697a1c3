import type { Config } from '../../config.ts'
import { TsudoiError } from '../../errors.ts'
import type { Log } from '../../log.ts'
import { floorTo } from '../buckets.ts'
import { decodeTag, encodeTag, identifier } from './escape.ts'
import { InfluxHttp, rowsOf, type InfluxConnectionOptions, type InfluxFlavor } from './http.ts'
import {
  bucketWindow, counterEdgesQuery, counterStepsQuery, dropMemberQuery, gaugeBucketsQuery, memberMetricsQuery,
  presenceQuery, rawReadingsQuery, seriesQuery
} from './queries.ts'
import { MemberTotals, averageDevices, byteOrder, increaseOver } from './results.ts'
import { InfluxRollups, type RollupOptions } from './rollup.ts'
import { ROLLUP_MEASUREMENTS, dropMemberRollupQuery } from './rollup-queries.ts'
import { rollupMemberBuckets } from './rollup-read.ts'
import { deviceMetricsOf, seriesKeysQuery } from './series-keys.ts'
import { InfluxWriteError, InfluxWriter, writePath } from './writer.ts'
import type { MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, ReadingStore, SeriesPoint, SeriesQuery } from '../reading-store.ts'
import type { Reading } from '../../domain/reading.ts'

export interface InfluxStoreOptions extends InfluxConnectionOptions {
  log?: Log
  /** Told the server's version once connected (the X-Influxdb-Version header). */
  onConnect?: (info: { version: string | undefined, flavor: InfluxFlavor }) => void
  /** The hourly rollups `reading_1h` and `reading_member_1h` (rollup.ts); on by default. */
  rollups?: RollupOptions
}

export function influxOptionsFrom (config: Config): InfluxConnectionOptions {
  if (config.INFLUX_URL === undefined) throw new Error('INFLUX_URL is not set')
  const options: InfluxConnectionOptions = { url: config.INFLUX_URL, database: config.INFLUX_DATABASE }
  if (config.INFLUX_TOKEN !== undefined) options.token = config.INFLUX_TOKEN
  if (config.INFLUX_USERNAME !== undefined) options.username = config.INFLUX_USERNAME
  if (config.INFLUX_PASSWORD !== undefined) options.password = config.INFLUX_PASSWORD
  if (config.INFLUX_ORG !== undefined) options.org = config.INFLUX_ORG
  return options
}

interface Connection { version: string | undefined, flavor: InfluxFlavor, writer: InfluxWriter }

/**
 * Readings in InfluxDB 1.x, 2.x (v1 compatibility) or 3.x: measurement `reading`, tags member,
 * device, sector, metric, float field `value`, millisecond timestamps. Writes with the official
 * client; reads in InfluxQL, aggregated by the database. append() resolves after InfluxDB
 * answered 2xx; the durable queue (queue/queued-store.ts) is what makes an acknowledgement
 * survive InfluxDB being down. memberBuckets with whole-hour buckets reads the hourly rollups
 * (`reading_1h`, and `reading_member_1h` for 1 h gauges) the store keeps beside the readings,
 * where they are known to be right (issue 8: a 7-day comparison scanned 2.3M raw points in
 * ~925 ms; now ~65 ms).
 */
export class InfluxReadingStore implements ReadingStore {
  readonly kind = 'influxdb'
  readonly rollups: InfluxRollups
  private readonly http: InfluxHttp
  private connection: Promise<Connection> | undefined

  constructor (private readonly options: InfluxStoreOptions) {
    this.http = new InfluxHttp(options)
    this.rollups = new InfluxRollups(async () => ({ http: this.http, writer: (await this.connect()).writer }), options.rollups, options.log)
  }

  /** The server's version and API family, once connected. */
  async server (): Promise<{ version: string | undefined, flavor: InfluxFlavor }> {
    const { version, flavor } = await this.connect()
    return { version, flavor }
  }

  /** Connects; the rollup's reconciliation starts in the background either way (it retries while InfluxDB is down). */
  async open (): Promise<void> {
    this.rollups.start()
    await this.connect()
  }

  /** Pings, learns the version, and on 1.x creates the database; retried on the next use if it fails. */
  private connect (): Promise<Connection> {
    this.connection ??= (async () => {
      const { version, flavor } = await this.http.ping()
      if (flavor === 'v1') await this.createDatabase()
      this.options.log?.info({ url: this.http.url, version: version ?? 'unknown', flavor, database: this.options.database }, 'connected to InfluxDB')
      this.options.onConnect?.({ version, flavor })
      return { version, flavor, writer: new InfluxWriter(this.options, writePath(flavor, this.options)) }
    })()
    this.connection.catch(() => { this.connection = undefined })
    return this.connection
  }

  /** 1.x: CREATE DATABASE needs an admin; a user granted ALL on an existing database can still write. */
  private async createDatabase (): Promise<void> {
    try {
      await this.http.createDatabase()
    } catch (error) {
      if (error instanceof TsudoiError) throw error // unreachable: retry the whole connect
      this.options.log?.warn({ err: error, database: this.options.database }, 'could not create the InfluxDB database; assuming it exists')
    }
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    let connection: Connection
    try {
      connection = await this.connect()
    } catch (error) {
      throw new InfluxWriteError(undefined, (error as Error).message, { cause: error })
    }
    // Marked before the write, so queries read these hours raw while it is in flight, and again
    // after it, so a recompute that read the hour before the points landed runs once more.
    const hours = this.rollups.hoursOf(readings)
    this.rollups.mark(hours)
    try {
      await connection.writer.write(readings)
    } catch (error) {
      // 1.x answers 404 when the database is gone (dropped, or a fresh data dir): connect again,
      // which creates it, before the next attempt.
      if (error instanceof InfluxWriteError && error.status === 404) this.connection = undefined
      throw error
    } finally {
      this.rollups.mark(hours)
    }
  }

  async readings (query: RawQuery): Promise<Reading[]> {
    if (query.limit <= 0) return []
    await this.connect()
    const newest = this.toReadings(query.member, rowsOf((await this.http.query(rawReadingsQuery(query, query, query.limit)))[0]))
    const last = newest.at(-1)
    if (newest.length < query.limit || last === undefined) return newest.sort(newestFirst)
    // LIMIT cuts through readings that share the last time in whatever order InfluxDB merged
    // the series; fetch all of them and order them like the embedded store (time, device, metric).
    const tied = this.toReadings(query.member, rowsOf((await this.http.query(rawReadingsQuery(query, { from: last.time, to: last.time + 1 })))[0]))
    return [...newest.filter((reading) => reading.time > last.time), ...tied].sort(newestFirst).slice(0, query.limit)
  }

  private toReadings (member: string, rows: Array<Record<string, unknown>>): Reading[] {
    return rows.map((row) => ({
      time: Number(row.time),
      member,
      device: decodeTag(row.device),
      sector: decodeTag(row.sector),
      metric: decodeTag(row.metric),
      value: Number(row.value)
    }))
  }

  async series (query: SeriesQuery): Promise<SeriesPoint[]> {
    await this.connect()
    const rows = rowsOf((await this.http.query(seriesQuery(query)))[0])
    return rows.map((row) => ({ time: Number(row.time), mean: Number(row.mean), min: Number(row.min), max: Number(row.max), count: Number(row.count) }))
  }

  async memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> {
    await this.connect()
    const window = bucketWindow(query)
    const split = this.rollups.split(query, window)
    if (split !== undefined) {
      this.rollups.answered('rollup')
      return await rollupMemberBuckets(this.http, query, window, split)
    }
    this.rollups.answered('raw')
    if (query.kind === 'gauge') {
      // One row per device and bucket; the member's value is the mean of its devices' means.
      const rows = rowsOf((await this.http.query(gaugeBucketsQuery(query)))[0])
      return averageDevices(rows.map((row) => ({ time: Number(row.time), member: row.member, mean: Number(row.value) })))
    }
    const [steps, edges] = await Promise.all([this.http.query(counterStepsQuery(query)), this.http.query(counterEdgesQuery(query))])
    const totals = new MemberTotals()
    for (const row of rowsOf(steps[0])) totals.add(Number(row.time), row.member, Number(row.value))
    // The first reading of each device in the window: its increase over the device's last
    // reading before the window (see counterStepsQuery). Also makes a bucket whose only
    // readings are first readings appear, with 0, as it does in the embedded store.
    const previous = new Map(rowsOf(edges[0]).map((row) => [`${String(row.member)}\u0000${String(row.device)}`, Number(row.value)]))
    for (const row of rowsOf(edges[1])) {
      const before = previous.get(`${String(row.member)}\u0000${String(row.device)}`)
      totals.add(floorTo(Number(row.time), query.bucketMs), row.member, increaseOver(before, Number(row.value)))
    }
    return totals.values()
  }

  async memberMetrics (member: string): Promise<string[]> {
    await this.connect()
    return rowsOf((await this.http.query(memberMetricsQuery(member)))[0]).map((row) => decodeTag(row.value)).sort(byteOrder)
  }

  async deviceMetrics (): Promise<Array<{ device: string, metric: string }>> {
    await this.connect()
    return deviceMetricsOf(rowsOf((await this.http.query(seriesKeysQuery))[0]))
  }

  async presence (since: number): Promise<MetricPresence[]> {
    await this.connect()
    const rows = rowsOf((await this.http.query(presenceQuery(since)))[0])
    return rows
      .map((row) => ({ metric: decodeTag(row.metric), sector: decodeTag(row.sector), members: Number(row.members) }))
      .sort((a, b) => byteOrder(a.metric, b.metric) || byteOrder(a.sector, b.sector))
  }

  /** Drops the member from the readings and the hourly rollup, with no rollup recompute in flight (it could write the member back). */
  async deleteMember (member: string): Promise<void> {
    const { flavor } = await this.connect()
    if (flavor === 'v1') {
      await this.rollups.exclusive(() => this.http.query(`${dropMemberQuery(member)}; ${dropMemberRollupQuery(member)}`, { write: true }))
    } else if (flavor === 'v2') {
      // Delete predicates follow InfluxQL string syntax, double-quoted (docs.influxdata.com/influxdb/v2/reference/syntax/delete-predicate),
      // and take no OR: one call per measurement.
      await this.rollups.exclusive(async () => {
        for (const measurement of ['reading', ...ROLLUP_MEASUREMENTS]) {
          await this.http.deleteV2(`_measurement=${identifier(measurement)} AND member=${identifier(encodeTag(member))}`)
        }
      })
    } else {
      // 3.x deletes whole databases or tables only (docs.influxdata.com/influxdb3/core/admin).
      throw new TsudoiError('STORE_UNAVAILABLE', 'InfluxDB 3 cannot delete one member\'s rows; expire them with a retention period')
    }
  }

  async close (): Promise<void> {
    await this.rollups.stop()
    this.connection = undefined
  }
}

function newestFirst (a: Reading, b: Reading): number {
  return b.time - a.time || byteOrder(a.device, b.device) || byteOrder(a.metric, b.metric)
}
