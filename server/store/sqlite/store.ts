import Database from 'better-sqlite3'
import { metricSpec } from '../../domain/metric-catalog.ts'
import { ensurePrivateDatabaseFile } from '../../private-files.ts'
import { floorTo } from '../buckets.ts'
import type { MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, ReadingStore, SeriesPoint, SeriesQuery } from '../reading-store.ts'
import type { Reading } from '../../domain/reading.ts'
import { readingSchema, rollupTables, sourceFor } from './schema.ts'

/** What names a series: one metric of one device (a device belongs to one member). */
export interface SeriesKey { member: string, device: string, sector: string, metric: string }
/** A series as the writer knows it: its row id, its names, and a counter's last reading. */
export interface SeriesRow extends SeriesKey { id: number, counter: boolean, last?: { time: number, value: number } }
interface Rollup { row: SeriesRow, bucket: number, count: number, sum: number, min: number, max: number, inc: number }
/** The embedded reading store: one SQLite file (WAL), raw rows plus minute and hour rollups. */
export class SqliteReadingStore implements ReadingStore {
  readonly kind = 'sqlite'
  private db!: Database.Database
  private readonly seriesIds = new Map<string, SeriesRow>()
  private statements!: ReturnType<SqliteReadingStore['prepare']>

  constructor (private readonly file: string, private readonly synchronous: 'full' | 'normal' = 'full') {}

  async open (): Promise<void> {
    ensurePrivateDatabaseFile(this.file)
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    // FULL: a commit survives a power cut, not only a crash of the hub (the PUBACK promise).
    this.db.pragma(`synchronous = ${this.synchronous.toUpperCase()}`)
    // SQLite's default 2 MiB page cache thrashes once the rollups outgrow it.
    this.db.pragma('cache_size = -65536')
    this.db.exec(readingSchema)
    this.statements = this.prepare()
  }

  private prepare () {
    const db = this.db
    const upsert = (table: string) => db.prepare(`INSERT INTO ${table} (metric, member, bucket, device, sector, count, sum, min, max, inc)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (metric, member, bucket, device) DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
        min = MIN(min, excluded.min), max = MAX(max, excluded.max), inc = inc + excluded.inc`)
    return {
      insertSeries: db.prepare('INSERT OR IGNORE INTO series (member, device, sector, metric) VALUES (?, ?, ?, ?)'),
      selectSeries: db.prepare('SELECT id FROM series WHERE member = ? AND device = ? AND metric = ?').pluck(),
      lastReading: db.prepare('SELECT time, value FROM reading WHERE series = ? ORDER BY time DESC LIMIT 1'),
      // First write wins for a repeated (series, time): a device resending after a lost PUBACK
      // must not be counted twice in the rollups.
      insertReading: db.prepare('INSERT OR IGNORE INTO reading (series, time, value, inc) VALUES (?, ?, ?, ?)'),
      upserts: rollupTables.map(({ table, size }) => ({ size, statement: upsert(table) })),
      appendBatch: db.transaction((rows: readonly SeriesRow[], times: ArrayLike<number>, values: ArrayLike<number>) => this.appendInTransaction(rows, times, values))
    }
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    this.appendRows(readings.map((reading) => this.seriesRow(reading)), readings.map((r) => r.time), readings.map((r) => r.value))
  }

  /**
   * One transaction for the whole batch: the group commit that makes a PUBACK durable. Reading
   * i is `values[i]` at `times[i]` of series `rows[i]` — columns, so the writer thread can take
   * a batch as typed arrays instead of one cloned object per reading.
   */
  appendRows (rows: readonly SeriesRow[], times: ArrayLike<number>, values: ArrayLike<number>): void {
    if (rows.length > 0) this.statements.appendBatch(rows, times, values)
  }

  private appendInTransaction (rows: readonly SeriesRow[], times: ArrayLike<number>, values: ArrayLike<number>): void {
    const { insertReading, upserts } = this.statements
    // Rollup rows of this batch, per series then bucket (numbers as keys: this runs per reading).
    const rollups = upserts.map(() => new Map<number, Map<number, Rollup>>())
    for (let i = 0; i < rows.length; i++) {
      const series = rows[i]!
      const time = times[i]!
      const value = values[i]!
      const inc = series.counter ? this.increase(series, time, value) : 0
      if (insertReading.run(series.id, time, value, inc).changes === 0) continue
      if (series.counter && (series.last === undefined || time > series.last.time)) {
        series.last = { time, value }
      }
      for (let u = 0; u < upserts.length; u++) addTo(rollups[u]!, series, floorTo(time, upserts[u]!.size), value, inc)
    }
    upserts.forEach(({ statement }, u) => {
      for (const buckets of rollups[u]!.values()) {
        for (const r of buckets.values()) statement.run(r.row.metric, r.row.member, r.bucket, r.row.device, r.row.sector, r.count, r.sum, r.min, r.max, r.inc)
      }
    })
  }

  /** The row of a series, created on first sight; cached until its member's data is deleted. */
  seriesRow (key: SeriesKey): SeriesRow {
    const cacheKey = `${key.member}\u0000${key.device}\u0000${key.metric}`
    let row = this.seriesIds.get(cacheKey)
    if (row === undefined) {
      const { member, device, sector, metric } = key
      this.statements.insertSeries.run(member, device, sector, metric)
      const id = this.statements.selectSeries.get(member, device, metric) as number
      row = { id, member, device, sector, metric, counter: metricSpec(metric).kind === 'counter' }
      const last = this.statements.lastReading.get(id) as { time: number, value: number } | undefined
      if (last) row.last = last
      this.seriesIds.set(cacheKey, row)
    }
    return row
  }

  /** A counter's increase since the previous reading; a late (out-of-order) reading adds nothing. */
  private increase (series: SeriesRow, time: number, value: number): number {
    const last = series.last
    if (last === undefined || time <= last.time) return 0
    return value >= last.value ? value - last.value : value
  }

  async readings (query: RawQuery): Promise<Reading[]> {
    const { where, params } = seriesFilter(query)
    return this.db.prepare(`SELECT r.time, s.member, s.device, s.sector, s.metric, r.value
      FROM series s JOIN reading r ON r.series = s.id
      WHERE ${where} AND r.time >= @from AND r.time < @to
      ORDER BY r.time DESC, s.device, s.metric LIMIT @limit`).all({ ...params, from: query.from, to: query.to, limit: query.limit }) as Reading[]
  }

  async series (query: SeriesQuery): Promise<SeriesPoint[]> {
    const size = query.bucketMs
    const device = query.device === undefined ? '' : 'AND r.device = @device'
    // `bucket - bucket % size`: better-sqlite3 binds JS numbers as REAL, so `bucket / size * size` would not floor.
    return this.db.prepare(`SELECT r.bucket - r.bucket % @size AS time, SUM(r.sum) / SUM(r.count) AS mean,
        MIN(r.min) AS min, MAX(r.max) AS max, SUM(r.count) AS count
      FROM ${sourceFor(size).table} r
      WHERE r.metric = @metric AND r.member = @member ${device} AND r.bucket >= @from AND r.bucket < @to
      GROUP BY 1 ORDER BY 1`).all({ ...query, size, ...wholeBuckets(query, size) }) as SeriesPoint[]
  }

  async memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> {
    const size = query.bucketMs
    const source = sourceFor(size)
    const sector = query.sector === undefined ? '' : 'AND r.sector = @sector'
    // The members that have this metric, named: each becomes one seek into (metric, member,
    // bucket) for the window, instead of reading every bucket the metric ever had — the
    // rollup's key puts member before bucket (bench/: 7 days out of 6 months, 140 → 29 ms).
    const members = `r.member IN (SELECT DISTINCT member FROM series WHERE metric = @metric)`
    const where = `r.metric = @metric ${sector} AND ${members} AND r.bucket >= @from AND r.bucket < @to`
    const params = { metric: query.metric, sector: query.sector, size, ...wholeBuckets(query, size) }
    // Gauges: each device's mean over the bucket, then the mean across the member's devices.
    // Counters: the increase over the bucket, summed across the member's devices.
    // When the bucket is the rollup's own size, each row is one device-bucket already and the
    // grouping follows the primary key's order (no sort): the hot path of the comparisons.
    const sql = query.kind === 'counter'
      ? `SELECT r.bucket - r.bucket % @size AS time, r.member, SUM(r.inc) AS value FROM ${source.table} r
         WHERE ${where} GROUP BY r.member, 1 ORDER BY 1, 2`
      : source.granularity === size
        ? `SELECT r.bucket AS time, r.member, AVG(r.sum / r.count) AS value FROM ${source.table} r
           WHERE ${where} GROUP BY r.member, r.bucket ORDER BY 1, 2`
        : `SELECT time, member, AVG(v) AS value FROM (
             SELECT r.bucket - r.bucket % @size AS time, r.member AS member, SUM(r.sum) / SUM(r.count) AS v
             FROM ${source.table} r WHERE ${where} GROUP BY r.member, 1, r.device)
           GROUP BY member, time ORDER BY 1, 2`
    return this.db.prepare(sql).all(params) as MemberBucketValue[]
  }

  async memberMetrics (member: string): Promise<string[]> {
    return this.db.prepare('SELECT DISTINCT metric FROM series WHERE member = ? ORDER BY metric').pluck().all(member) as string[]
  }

  async deviceMetrics (): Promise<Array<{ device: string, metric: string }>> {
    return this.db.prepare('SELECT device, metric FROM series').all() as Array<{ device: string, metric: string }>
  }

  async presence (since: number): Promise<MetricPresence[]> {
    return this.db.prepare(`SELECT s.metric, s.sector, COUNT(DISTINCT s.member) AS members FROM series s
      WHERE EXISTS (SELECT 1 FROM rollup_1h r WHERE r.metric = s.metric AND r.member = s.member AND r.bucket >= ? AND r.device = s.device)
      GROUP BY s.metric, s.sector ORDER BY s.metric, s.sector`).all(floorTo(since, 3_600_000)) as MetricPresence[]
  }

  async deleteMember (member: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM reading WHERE series IN (SELECT id FROM series WHERE member = ?)').run(member)
      for (const { table } of rollupTables) {
        this.db.prepare(`DELETE FROM ${table} WHERE metric IN (SELECT metric FROM series WHERE member = @member) AND member = @member`).run({ member })
      }
      this.db.prepare('DELETE FROM series WHERE member = ?').run(member)
    })()
    for (const key of this.seriesIds.keys()) if (key.startsWith(`${member}\u0000`)) this.seriesIds.delete(key)
  }

  async close (): Promise<void> {
    this.db?.close()
  }
}

/** A window widened to whole buckets: `from` back to its bucket's start, `to` forward to its bucket's end. */
function wholeBuckets (window: { from: number, to: number }, size: number): { from: number, to: number } {
  return { from: floorTo(window.from, size), to: Math.ceil(window.to / size) * size }
}

function addTo (rollups: Map<number, Map<number, Rollup>>, row: SeriesRow, bucket: number, value: number, inc: number): void {
  let buckets = rollups.get(row.id)
  if (buckets === undefined) rollups.set(row.id, buckets = new Map())
  const rollup = buckets.get(bucket)
  if (rollup === undefined) {
    buckets.set(bucket, { row, bucket, count: 1, sum: value, min: value, max: value, inc })
    return
  }
  rollup.count++
  rollup.sum += value
  rollup.min = Math.min(rollup.min, value)
  rollup.max = Math.max(rollup.max, value)
  rollup.inc += inc
}

function seriesFilter (query: { member: string, metric?: string, device?: string }) {
  const clauses = ['s.member = @member']
  const params: Record<string, string> = { member: query.member }
  if (query.metric !== undefined) { clauses.push('s.metric = @metric'); params.metric = query.metric }
  if (query.device !== undefined) { clauses.push('s.device = @device'); params.device = query.device }
  return { where: clauses.join(' AND '), params }
}
