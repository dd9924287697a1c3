import Database from 'better-sqlite3'
import type { Release } from '../domain/release.ts'
import { ensurePrivateDatabaseFile } from '../private-files.ts'

// Where protected comparison releases live (docs/privacy.md): one SQLite file beside the
// registry, in both store modes — the index every view reads; in InfluxDB mode InfluxDB keeps
// the durable copy (influx/release-archive.ts). A release is written once and never replaced —
// every write is INSERT OR IGNORE, restore() alone takes the archived original over a copy —
// because recomputing a past bucket is what let an observer subtract a member that withdrew
// consent (issue 13).
//
// - `release`: one row per cell (series, size, normalisation, cohort, bucket), the release as JSON.
// - `released_bucket`: the buckets already released, whatever their cohorts: never reopened.
// - `pending_bucket`: buckets with contributors not released yet, and when they were first
//   seen — history loaded into an old bucket waits the grace period from its arrival.
// - `unarchived_bucket` (InfluxDB mode only): released buckets not yet written to InfluxDB, the
//   durable archive (influx/release-archive.ts). Filled in the same transaction as the release,
//   so a release made while InfluxDB is down, or just before a crash, still gets there.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS release (
  series TEXT NOT NULL, size TEXT NOT NULL, per TEXT NOT NULL, cohort TEXT NOT NULL, time INTEGER NOT NULL,
  shown INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (series, size, per, cohort, time)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS released_bucket (
  series TEXT NOT NULL, size TEXT NOT NULL, time INTEGER NOT NULL, released_at INTEGER NOT NULL,
  PRIMARY KEY (series, size, time)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_bucket (
  series TEXT NOT NULL, size TEXT NOT NULL, time INTEGER NOT NULL, first_seen INTEGER NOT NULL,
  PRIMARY KEY (series, size, time)
) WITHOUT ROWID;
`
const ARCHIVE_SCHEMA = `
CREATE TABLE IF NOT EXISTS unarchived_bucket (
  series TEXT NOT NULL, size TEXT NOT NULL, time INTEGER NOT NULL,
  PRIMARY KEY (series, size, time)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS released_bucket_by_time ON released_bucket (time);
`

export interface ReleaseRow { cohort: string, per: string, release: Release }

/** One released bucket (series, size, bucket start). */
export interface BucketKey { series: string, size: string, time: number }

/** A released bucket as stored: every cell's release as the JSON text that is served. */
export interface StoredBucket extends BucketKey {
  releasedAt: number
  cells: Array<{ per: string, cohort: string, body: string }>
}

export interface ReleaseStoreOptions {
  /** InfluxDB mode: keep `unarchived_bucket`, the buckets the InfluxDB archive has yet to take. */
  archived?: boolean
}

export interface LatestShown { series: string, cohort: string, release: Release }

export class ReleaseStore {
  private db: Database.Database | undefined

  private readonly savedListeners: Array<() => void> = []

  constructor (private readonly file: string, private readonly options: ReleaseStoreOptions = {}) {}

  /** Told after each bucket is saved (the archive wakes up to write it). */
  onSave (listener: () => void): void {
    this.savedListeners.push(listener)
  }

  open (): void {
    // Releases are in the data dir with the readings: 0600 like every file there (server/private-files.ts).
    ensurePrivateDatabaseFile(this.file)
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    // NORMAL: a release survives a crash of the hub, not a power cut — one fsync per bucket
    // made a backfilled fortnight (752 buckets) take 5 s. A release lost that way is made
    // again from the same readings by the same pure function, so it comes out the same unless
    // consent changed in between.
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
    if (this.options.archived === true) this.db.exec(ARCHIVE_SCHEMA)
  }

  close (): void {
    this.statements.clear()
    this.db?.close()
    this.db = undefined
  }

  private get sql (): Database.Database {
    if (this.db === undefined) throw new Error('release store is not open')
    return this.db
  }

  private readonly statements = new Map<string, Database.Statement>()

  /** A statement prepared once per open store (preparing each time cost more than running them). */
  private statement (text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (statement === undefined) this.statements.set(text, statement = this.sql.prepare(text))
    return statement
  }

  /** Bucket starts of a series and size already released in [from, to). */
  releasedTimes (series: string, size: string, from: number, to: number): Set<number> {
    const rows = this.statement('SELECT time FROM released_bucket WHERE series = ? AND size = ? AND time >= ? AND time < ?')
      .pluck().all(series, size, from, to) as number[]
    return new Set(rows)
  }

  /** bucket start → when its first contribution was seen, for the pending buckets of a series and size. */
  pending (series: string, size: string): Map<number, number> {
    const rows = this.statement('SELECT time, first_seen AS firstSeen FROM pending_bucket WHERE series = ? AND size = ?')
      .all(series, size) as Array<{ time: number, firstSeen: number }>
    return new Map(rows.map((row) => [row.time, row.firstSeen]))
  }

  markPending (series: string, size: string, time: number, firstSeen: number): void {
    this.statement('INSERT OR IGNORE INTO pending_bucket (series, size, time, first_seen) VALUES (?, ?, ?, ?)').run(series, size, time, firstSeen)
  }

  /** Forgets pending buckets that began before `time`: out of the lookback, they will never be released. */
  forgetPendingBefore (time: number): void {
    this.statement('DELETE FROM pending_bucket WHERE time < ?').run(time)
  }

  /** Every cell of one bucket at once, with the bucket marked released, in one transaction. */
  save (series: string, size: string, time: number, releasedAt: number, rows: readonly ReleaseRow[]): void {
    const insert = this.statement('INSERT OR IGNORE INTO release (series, size, per, cohort, time, shown, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.sql.transaction(() => {
      for (const { cohort, per, release } of rows) insert.run(series, size, per, cohort, time, 'suppressed' in release ? 0 : 1, JSON.stringify(release))
      this.statement('INSERT OR IGNORE INTO released_bucket (series, size, time, released_at) VALUES (?, ?, ?, ?)').run(series, size, time, releasedAt)
      this.statement('DELETE FROM pending_bucket WHERE series = ? AND size = ? AND time = ?').run(series, size, time)
      if (this.options.archived === true) this.statement('INSERT OR IGNORE INTO unarchived_bucket (series, size, time) VALUES (?, ?, ?)').run(series, size, time)
    })()
    for (const listener of this.savedListeners) listener()
  }

  // The InfluxDB archive's side (influx/release-archive.ts): what it has yet to write, and what
  // it restores. Used only when the store was opened with `archived`.

  /** Up to `limit` released buckets not yet in InfluxDB, oldest first. */
  unarchived (limit: number): BucketKey[] {
    return this.statement('SELECT series, size, time FROM unarchived_bucket ORDER BY time LIMIT ?').all(limit) as BucketKey[]
  }

  unarchivedCount (): number {
    return this.statement('SELECT COUNT(*) FROM unarchived_bucket').pluck().get() as number
  }

  /** InfluxDB has these buckets now. */
  markArchived (keys: readonly BucketKey[]): void {
    const remove = this.statement('DELETE FROM unarchived_bucket WHERE series = ? AND size = ? AND time = ?')
    this.sql.transaction(() => { for (const { series, size, time } of keys) remove.run(series, size, time) })()
  }

  /** InfluxDB lacks these released buckets (it lost them, or the hub ran without it when they were made). */
  queueArchive (keys: readonly BucketKey[]): void {
    const insert = this.statement('INSERT OR IGNORE INTO unarchived_bucket (series, size, time) VALUES (?, ?, ?)')
    this.sql.transaction(() => { for (const { series, size, time } of keys) insert.run(series, size, time) })()
  }

  /** A released bucket with every cell as served, or undefined when it was not released. */
  storedBucket (key: BucketKey): StoredBucket | undefined {
    const releasedAt = this.statement('SELECT released_at FROM released_bucket WHERE series = @series AND size = @size AND time = @time')
      .pluck().get(key) as number | undefined
    if (releasedAt === undefined) return undefined
    const cells = this.statement('SELECT per, cohort, body FROM release WHERE series = @series AND size = @size AND time = @time')
      .all(key) as StoredBucket['cells']
    return { ...key, releasedAt, cells }
  }

  /** The first and last released bucket's start, or undefined when nothing was released. */
  releasedSpan (): { from: number, to: number } | undefined {
    const row = this.statement('SELECT MIN(time) AS "from", MAX(time) AS "to" FROM released_bucket').get() as { from: number | null, to: number | null }
    return row.from === null || row.to === null ? undefined : { from: row.from, to: row.to }
  }

  /** The buckets released that start in [from, to), and whether each is known to be in InfluxDB. */
  releasedBuckets (from: number, to: number): Array<BucketKey & { archived: boolean }> {
    const rows = this.statement(`SELECT r.series, r.size, r.time, u.time IS NULL AS archived
      FROM released_bucket r LEFT JOIN unarchived_bucket u USING (series, size, time) WHERE r.time >= ? AND r.time < ?`)
      .all(from, to) as Array<BucketKey & { archived: number }>
    return rows.map((row) => ({ series: row.series, size: row.size, time: row.time, archived: row.archived === 1 }))
  }

  /**
   * Takes InfluxDB's copy of these buckets, replacing whatever this file holds for them: the
   * one exception to "never replaced", so that every node serves what was first archived and a
   * bucket made again here (after a lost data dir) never stands beside a different original.
   * The bodies are kept as InfluxDB returns them, so the same bytes are served.
   */
  restore (buckets: readonly StoredBucket[]): void {
    const released = this.statement('SELECT 1 FROM released_bucket WHERE series = ? AND size = ? AND time = ?').pluck()
    const dropCells = this.statement('DELETE FROM release WHERE series = ? AND size = ? AND time = ?')
    const insert = this.statement('INSERT INTO release (series, size, per, cohort, time, shown, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const mark = this.statement('INSERT OR REPLACE INTO released_bucket (series, size, time, released_at) VALUES (?, ?, ?, ?)')
    const unpend = this.statement('DELETE FROM pending_bucket WHERE series = ? AND size = ? AND time = ?')
    const archived = this.statement('DELETE FROM unarchived_bucket WHERE series = ? AND size = ? AND time = ?')
    this.sql.transaction(() => {
      for (const { series, size, time, releasedAt, cells } of buckets) {
        if (released.get(series, size, time) !== undefined) dropCells.run(series, size, time)
        for (const { per, cohort, body } of cells) insert.run(series, size, per, cohort, time, isShownBody(body) ? 1 : 0, body)
        mark.run(series, size, time, releasedAt)
        unpend.run(series, size, time)
        archived.run(series, size, time)
      }
    })()
  }

  /** The releases of one cell's series in [from, to), by bucket start. */
  releases (query: { series: string, size: string, per: string, cohort: string, from: number, to: number }): Map<number, Release> {
    const rows = this.statement(`SELECT time, body FROM release
      WHERE series = @series AND size = @size AND per = @per AND cohort = @cohort AND time >= @from AND time < @to`)
      .all(query) as Array<{ time: number, body: string }>
    return new Map(rows.map((row) => [row.time, JSON.parse(row.body) as Release]))
  }

  /** The latest shown release of each (series, cohort) of a size and normalisation since a time. */
  latestShown (size: string, per: string, since: number): LatestShown[] {
    // SQLite returns the bare columns of the row that holds MAX(time).
    const rows = this.statement(`SELECT series, cohort, body, MAX(time) AS time FROM release
      WHERE size = ? AND per = ? AND shown = 1 AND time >= ? GROUP BY series, cohort`)
      .all(size, per, since) as Array<{ series: string, cohort: string, body: string }>
    return rows.map((row) => ({ series: row.series, cohort: row.cohort, release: JSON.parse(row.body) as Release }))
  }
}

/** Whether a stored release body is a shown one (a suppressed release says `"suppressed":true`). */
export function isShownBody (body: string): boolean {
  return !('suppressed' in (JSON.parse(body) as object))
}
