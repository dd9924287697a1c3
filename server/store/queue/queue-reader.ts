import type Database from 'better-sqlite3'
import type { Reading } from '../../domain/reading.ts'

// Reading queue.db: what the drainer sends next and how old the oldest row is. The writer
// thread's DiskQueue reads through its own connection with this; the main thread through a
// read-only one (durable-queue.ts) — in WAL mode a reader never waits for the writer's lock.

/** A queued reading as a row's payload stores it (JSON arrays, a third of the objects' size). */
export type Row = [time: number, member: string, device: string, sector: string, metric: string, value: number]

export interface QueuedBatch { ids: number[], readings: Reading[] }

export const toRow = (r: Reading): Row => [r.time, r.member, r.device, r.sector, r.metric, r.value]
export const fromRow = ([time, member, device, sector, metric, value]: Row): Reading => ({ time, member, device, sector, metric, value })

export class QueueReader {
  private readonly after: Database.Statement
  private readonly oldestTime: Database.Statement

  constructor (db: Database.Database, private readonly now: () => number = Date.now) {
    this.after = db.prepare('SELECT id, count, payload FROM batch WHERE id > ? ORDER BY id')
    this.oldestTime = db.prepare('SELECT enqueued_at FROM batch ORDER BY id LIMIT 1').pluck()
  }

  /** The oldest rows (after row `afterId`), as many as fit in `maxReadings` (always at least one row). */
  peek (maxReadings: number, afterId = 0): QueuedBatch | undefined {
    const ids: number[] = []
    const readings: Reading[] = []
    for (const row of this.after.iterate(afterId) as IterableIterator<{ id: number, count: number, payload: string }>) {
      if (ids.length > 0 && readings.length + row.count > maxReadings) break
      ids.push(row.id)
      for (const queued of JSON.parse(row.payload) as Row[]) readings.push(fromRow(queued))
    }
    return ids.length === 0 ? undefined : { ids, readings }
  }

  oldestAgeMs (): number {
    const oldest = this.oldestTime.get() as number | undefined
    return oldest === undefined ? 0 : Math.max(0, this.now() - oldest)
  }
}
