import Database from 'better-sqlite3'
import { ensurePrivateDatabaseFile } from '../../private-files.ts'
import type { Reading } from '../../domain/reading.ts'

// The on-disk queue between an acknowledgement and InfluxDB (docs/architecture.md: "An acknowledgement
// means durable"). One SQLite file in WAL mode; a push is one transaction, so the caller's
// group commit becomes one fsync. In the hub pushes and removals run on a worker thread
// (queue-writer.ts) through a second connection, and the main thread's peeks and purges. Rows hold serialized readings, oldest first by id; a row is
// deleted only after InfluxDB took its readings, so a restart resumes with the oldest row.

const schema = `
CREATE TABLE IF NOT EXISTS batch (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  enqueued_at INTEGER NOT NULL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  payload TEXT NOT NULL
);`

type Row = [time: number, member: string, device: string, sector: string, metric: string, value: number]

export interface DiskQueueOptions {
  file: string
  /** isFull() once the queued payload reaches this many bytes (TSUDOI_QUEUE_MAX_BYTES). */
  maxBytes: number
  /** full (default): a push survives a power cut; normal: a crash of the hub only. */
  synchronous?: 'full' | 'normal'
  /** Readings per row: bounds what a drain batch re-sends after a crash (default 1000). */
  rowReadings?: number
  now?: () => number
  /** Called when the queue becomes full (true) or has room again (false). */
  onFullChange?: (full: boolean) => void
}

export interface QueuedBatch { ids: number[], readings: Reading[] }

export class DiskQueue {
  private db!: Database.Database
  private statements!: ReturnType<DiskQueue['prepare']>
  private readings = 0
  private payloadBytes = 0
  private full = false

  constructor (private readonly options: DiskQueueOptions) {}

  open (): void {
    ensurePrivateDatabaseFile(this.options.file)
    this.db = new Database(this.options.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${(this.options.synchronous ?? 'full').toUpperCase()}`)
    // Two connections write this file (the queue writer thread pushes, the main thread removes
    // and purges): a transaction waits for the other's instead of failing with SQLITE_BUSY.
    this.db.pragma('busy_timeout = 10000')
    this.db.exec(schema)
    this.statements = this.prepare()
    const totals = this.db.prepare('SELECT COALESCE(SUM(count), 0) AS readings, COALESCE(SUM(bytes), 0) AS bytes FROM batch').get() as { readings: number, bytes: number }
    this.readings = totals.readings
    this.payloadBytes = totals.bytes
    this.checkFull() // reopened full: the listener must hear it
  }

  private prepare () {
    return {
      insert: this.db.prepare('INSERT INTO batch (enqueued_at, count, bytes, payload) VALUES (?, ?, ?, ?)'),
      oldest: this.db.prepare('SELECT id, count, bytes, payload FROM batch ORDER BY id'),
      after: this.db.prepare('SELECT id, count, bytes, payload FROM batch WHERE id > ? ORDER BY id'),
      oldestTime: this.db.prepare('SELECT enqueued_at FROM batch ORDER BY id LIMIT 1').pluck(),
      remove: this.db.prepare('DELETE FROM batch WHERE id = ? RETURNING count, bytes'),
      replace: this.db.prepare('UPDATE batch SET count = ?, bytes = ?, payload = ? WHERE id = ?')
    }
  }

  /** Durable once this returns: one transaction (and with synchronous=FULL one fsync). Returns the payload bytes added. */
  push (readings: readonly Reading[]): number {
    if (readings.length === 0) return 0
    const now = (this.options.now ?? Date.now)()
    const size = this.options.rowReadings ?? 1000
    let added = 0
    this.db.transaction(() => {
      for (let start = 0; start < readings.length; start += size) {
        const chunk = readings.slice(start, start + size)
        const payload = JSON.stringify(chunk.map((r): Row => [r.time, r.member, r.device, r.sector, r.metric, r.value]))
        const bytes = Buffer.byteLength(payload)
        this.statements.insert.run(now, chunk.length, bytes, payload)
        added += bytes
      }
    })()
    this.notePushed(readings.length, added)
    return added
  }

  /** Counts a push made through another connection to the same file (the queue writer thread). */
  notePushed (readings: number, bytes: number): void {
    this.readings += readings
    this.payloadBytes += bytes
    this.checkFull()
  }

  /** The oldest rows (after row `afterId`), as many as fit in `maxReadings` (always at least one row). */
  peek (maxReadings: number, afterId = 0): QueuedBatch | undefined {
    const ids: number[] = []
    const readings: Reading[] = []
    for (const row of this.statements.after.iterate(afterId) as IterableIterator<{ id: number, count: number, payload: string }>) {
      if (ids.length > 0 && readings.length + row.count > maxReadings) break
      ids.push(row.id)
      for (const [time, member, device, sector, metric, value] of JSON.parse(row.payload) as Row[]) {
        readings.push({ time, member, device, sector, metric, value })
      }
    }
    return ids.length === 0 ? undefined : { ids, readings }
  }

  /** Deletes delivered rows; returns what they held. */
  remove (ids: readonly number[]): { readings: number, bytes: number } {
    const removed = { readings: 0, bytes: 0 }
    // No fsync for a removal: one lost to a power cut only sends its readings to InfluxDB
    // again, which overwrites the same points. The next push's fsync makes it durable anyway.
    this.withoutFsync(() => this.db.transaction(() => {
      for (const id of ids) {
        const row = this.statements.remove.get(id) as { count: number, bytes: number } | undefined
        if (row === undefined) continue
        removed.readings += row.count
        removed.bytes += row.bytes
      }
    })())
    this.noteRemoved(removed.readings, removed.bytes)
    return removed
  }

  /** Counts a removal made through another connection to the same file (the queue writer thread). */
  noteRemoved (readings: number, bytes: number): void {
    this.readings -= readings
    this.payloadBytes -= bytes
    this.checkFull()
  }

  private withoutFsync (work: () => void): void {
    const synchronous = (this.options.synchronous ?? 'full').toUpperCase()
    if (synchronous === 'NORMAL') return work()
    this.db.pragma('synchronous = NORMAL')
    try {
      work()
    } finally {
      this.db.pragma(`synchronous = ${synchronous}`)
    }
  }

  /** Drops every queued reading that matches (a member's data deletion must reach the queue too). */
  purge (matches: (reading: Reading) => boolean): void {
    this.db.transaction(() => {
      for (const row of this.statements.oldest.all() as Array<{ id: number, count: number, bytes: number, payload: string }>) {
        const rows = JSON.parse(row.payload) as Row[]
        const kept = rows.filter(([time, member, device, sector, metric, value]) => !matches({ time, member, device, sector, metric, value }))
        if (kept.length === rows.length) continue
        this.readings -= row.count - kept.length
        this.payloadBytes -= row.bytes
        if (kept.length === 0) {
          this.statements.remove.get(row.id)
        } else {
          const payload = JSON.stringify(kept)
          this.payloadBytes += Buffer.byteLength(payload)
          this.statements.replace.run(kept.length, Buffer.byteLength(payload), payload, row.id)
        }
      }
    })()
    this.checkFull()
  }

  /** Readings waiting. */
  depth (): number { return this.readings }
  /** Bytes of queued payload (the file itself also holds SQLite pages and the WAL). */
  bytes (): number { return this.payloadBytes }
  isFull (): boolean { return this.payloadBytes >= this.options.maxBytes }

  oldestAgeMs (): number {
    const oldest = this.statements.oldestTime.get() as number | undefined
    return oldest === undefined ? 0 : Math.max(0, (this.options.now ?? Date.now)() - oldest)
  }

  close (): void {
    if (this.db?.open) this.db.close()
  }

  private checkFull (): void {
    const full = this.isFull()
    if (full === this.full) return
    this.full = full
    try {
      this.options.onFullChange?.(full)
    } catch { /* a listener's failure must not undo a committed push */ }
  }
}
