import Database from 'better-sqlite3'
import { FullLatch } from './full-latch.ts'
import { ensurePrivateDatabaseFile } from '../../private-files.ts'
import type { Reading } from '../../domain/reading.ts'
import { type QueuedBatch, QueueReader, type Row, fromRow, toRow } from './queue-reader.ts'

// The on-disk queue between an acknowledgement and InfluxDB (docs/architecture.md: "An acknowledgement
// means durable"). One SQLite file in WAL mode; a push is one transaction, so the caller's
// group commit becomes one fsync. A DiskQueue is the one connection that writes the file: in
// the hub it lives on the queue writer thread (queue-writer.ts), which does every push, removal
// and purge; the main thread's DurableQueue (durable-queue.ts) only reads, through a read-only
// connection. Rows hold serialized readings, oldest first by id; a row is deleted only after
// InfluxDB took its readings, so a restart resumes with the oldest row.

const schema = `
CREATE TABLE IF NOT EXISTS batch (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  enqueued_at INTEGER NOT NULL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  payload TEXT NOT NULL
);`

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

/** What the queue holds: readings and bytes of payload, summed over its rows. */
export interface QueueTotals { readings: number, bytes: number }

export class DiskQueue {
  private db!: Database.Database
  private statements!: ReturnType<DiskQueue['prepare']>
  private reader!: QueueReader
  private readings = 0
  private payloadBytes = 0
  private readonly latch: FullLatch

  constructor (private readonly options: DiskQueueOptions) {
    this.latch = new FullLatch(options.onFullChange)
  }

  open (): void {
    ensurePrivateDatabaseFile(this.options.file)
    this.db = new Database(this.options.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${(this.options.synchronous ?? 'full').toUpperCase()}`)
    // The only writer: the main thread's connection is read-only, so nothing holds this lock
    // but this connection. Kept for what else may open the file (an operator's sqlite3 shell).
    this.db.pragma('busy_timeout = 10000')
    this.db.exec(schema)
    this.statements = this.prepare()
    this.reader = new QueueReader(this.db, this.options.now)
    const totals = this.db.prepare('SELECT COALESCE(SUM(count), 0) AS readings, COALESCE(SUM(bytes), 0) AS bytes FROM batch').get() as { readings: number, bytes: number }
    this.readings = totals.readings
    this.payloadBytes = totals.bytes
    this.checkFull() // reopened full: the listener must hear it
  }

  private prepare () {
    return {
      insert: this.db.prepare('INSERT INTO batch (enqueued_at, count, bytes, payload) VALUES (?, ?, ?, ?)'),
      oldest: this.db.prepare('SELECT id, count, bytes, payload FROM batch ORDER BY id'),
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
        const payload = JSON.stringify(chunk.map(toRow))
        const bytes = Buffer.byteLength(payload)
        this.statements.insert.run(now, chunk.length, bytes, payload)
        added += bytes
      }
    })()
    this.count(readings.length, added)
    return added
  }

  /** The oldest rows (after row `afterId`), as many as fit in `maxReadings` (always at least one row). */
  peek (maxReadings: number, afterId = 0): QueuedBatch | undefined { return this.reader.peek(maxReadings, afterId) }

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
    this.count(-removed.readings, -removed.bytes)
    return removed
  }

  private count (readings: number, bytes: number): void {
    this.readings += readings
    this.payloadBytes += bytes
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
        const kept = rows.filter((queued) => !matches(fromRow(queued)))
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

  /** Readings waiting and their payload bytes: what the main thread's DurableQueue reports. */
  totals (): QueueTotals { return { readings: this.readings, bytes: this.payloadBytes } }
  /** Readings waiting. */
  depth (): number { return this.readings }
  /** Bytes of queued payload (the file itself also holds SQLite pages and the WAL). */
  bytes (): number { return this.payloadBytes }
  isFull (): boolean { return this.payloadBytes >= this.options.maxBytes }

  oldestAgeMs (): number { return this.reader.oldestAgeMs() }

  close (): void {
    if (this.db?.open) this.db.close()
  }

  private checkFull (): void {
    this.latch.update(this.isFull())
  }
}
