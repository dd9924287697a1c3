import type { Config } from '../config.ts'
import { TsudoiError } from '../errors.ts'
import type { Log } from '../log.ts'
import { floorTo } from './buckets.ts'
import { decodeTag, encodeTag, identifier } from './influx-escape.ts'
import { InfluxHttp, rowsOf, type InfluxConnectionOptions, type InfluxFlavor } from './influx-http.ts'
import {
  counterEdgesQuery, counterStepsQuery, dropMemberQuery, gaugeBucketsQuery, memberMetricsQuery,
  presenceQuery, rawReadingsQuery, seriesQuery
} from './influx-queries.ts'
import { InfluxWriteError, InfluxWriter, writePath } from './influx-writer.ts'
import type {
  MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, Reading, ReadingStore, SeriesPoint, SeriesQuery
} from './reading-store.ts'

export interface InfluxStoreOptions extends InfluxConnectionOptions {
  log?: Log
  /** Told the server's version once connected (the X-Influxdb-Version header). */
  onConnect?: (info: { version: string | undefined, flavor: InfluxFlavor }) => void
}

export function influxOptionsFrom (config: Config): InfluxConnectionOptions {
  if (config.INFLUX_URL === undefined) throw new Error('INFLUX_URL is not set')
  const options: InfluxConnectionOptions = { url: config.INFLUX_URL, database: config.INFLUX_DATABASE }
  if (config.INFLUX_TOKEN !== undefined) options.token = config.INFLUX_TOKEN
  if (config.INFLUX_USERNAME !== undefined) options.username = config.INFLUX_USERNAME
  if (config.INFLUX_PASSWORD !== undefined) options.password = config.INFLUX_PASSWORD
  return options
}

interface Connection { version: string | undefined, flavor: InfluxFlavor, writer: InfluxWriter }

/**
 * Readings in InfluxDB 1.x, 2.x (v1 compatibility) or 3.x: measurement `reading`, tags member,
 * device, sector, metric, float field `value`, millisecond timestamps. Writes with the official
 * client; reads in InfluxQL, aggregated by the database. append() resolves after InfluxDB
 * answered 2xx; the durable queue (queue/queued-store.ts) is what makes an acknowledgement
 * survive InfluxDB being down.
 */
export class InfluxReadingStore implements ReadingStore {
  readonly kind = 'influxdb'
  private readonly http: InfluxHttp
  private connection: Promise<Connection> | undefined

  constructor (private readonly options: InfluxStoreOptions) {
    this.http = new InfluxHttp(options)
  }

  /** The server's version and API family, once connected. */
  async server (): Promise<{ version: string | undefined, flavor: InfluxFlavor }> {
    const { version, flavor } = await this.connect()
    return { version, flavor }
  }

  async open (): Promise<void> {
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
    try {
      await connection.writer.write(readings)
    } catch (error) {
      // 1.x answers 404 when the database is gone (dropped, or a fresh data dir): connect again,
      // which creates it, before the next attempt.
      if (error instanceof InfluxWriteError && error.status === 404) this.connection = undefined
      throw error
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
    if (query.kind === 'gauge') {
      // One row per device and bucket; the member's value is the mean of its devices' means.
      const perMember = new Map<string, { time: number, member: string, sum: number, devices: number }>()
      for (const row of rowsOf((await this.http.query(gaugeBucketsQuery(query)))[0])) {
        const time = Number(row.time)
        const member = decodeTag(row.member)
        const key = `${time}\u0000${member}`
        const entry = perMember.get(key)
        if (entry === undefined) perMember.set(key, { time, member, sum: Number(row.value), devices: 1 })
        else { entry.sum += Number(row.value); entry.devices++ }
      }
      return [...perMember.values()].map(({ time, member, sum, devices }) => ({ time, member, value: sum / devices })).sort(byTimeAndMember)
    }
    const [steps, edges] = await Promise.all([this.http.query(counterStepsQuery(query)), this.http.query(counterEdgesQuery(query))])
    const totals = new Map<string, MemberBucketValue>()
    const add = (time: number, member: string, value: number): void => {
      const key = `${time}\u0000${member}`
      const total = totals.get(key)
      if (total === undefined) totals.set(key, { time, member, value })
      else total.value += value
    }
    for (const row of rowsOf(steps[0])) add(Number(row.time), decodeTag(row.member), Number(row.value))
    // The first reading of each device in the window: its increase over the device's last
    // reading before the window (see counterStepsQuery). Also makes a bucket whose only
    // readings are first readings appear, with 0, as it does in the embedded store.
    const previous = new Map(rowsOf(edges[0]).map((row) => [`${String(row.member)}\u0000${String(row.device)}`, Number(row.value)]))
    for (const row of rowsOf(edges[1])) {
      const before = previous.get(`${String(row.member)}\u0000${String(row.device)}`)
      const value = Number(row.value)
      const increase = before === undefined ? 0 : value >= before ? value - before : value
      add(floorTo(Number(row.time), query.bucketMs), decodeTag(row.member), increase)
    }
    return [...totals.values()].sort(byTimeAndMember)
  }

  async memberMetrics (member: string): Promise<string[]> {
    await this.connect()
    return rowsOf((await this.http.query(memberMetricsQuery(member)))[0]).map((row) => decodeTag(row.value)).sort(byteOrder)
  }

  async presence (since: number): Promise<MetricPresence[]> {
    await this.connect()
    const rows = rowsOf((await this.http.query(presenceQuery(since)))[0])
    return rows
      .map((row) => ({ metric: decodeTag(row.metric), sector: decodeTag(row.sector), members: Number(row.members) }))
      .sort((a, b) => byteOrder(a.metric, b.metric) || byteOrder(a.sector, b.sector))
  }

  async deleteMember (member: string): Promise<void> {
    const { flavor } = await this.connect()
    if (flavor === 'v1') {
      await this.http.query(dropMemberQuery(member), { write: true })
    } else if (flavor === 'v2') {
      // Delete predicates follow InfluxQL string syntax, double-quoted (docs.influxdata.com/influxdb/v2/reference/syntax/delete-predicate).
      await this.http.deleteV2(`_measurement="reading" AND member=${identifier(encodeTag(member))}`)
    } else {
      // 3.x deletes whole databases or tables only (docs.influxdata.com/influxdb3/core/admin).
      throw new TsudoiError('STORE_UNAVAILABLE', 'InfluxDB 3 cannot delete one member\'s rows; expire them with a retention period')
    }
  }

  async close (): Promise<void> {
    this.connection = undefined
  }
}

/** The embedded store's ORDER BY uses SQLite's BINARY collation: UTF-8 byte order. */
function byteOrder (a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))
}

function newestFirst (a: Reading, b: Reading): number {
  return b.time - a.time || byteOrder(a.device, b.device) || byteOrder(a.metric, b.metric)
}

function byTimeAndMember (a: MemberBucketValue, b: MemberBucketValue): number {
  return a.time - b.time || byteOrder(a.member, b.member)
}
