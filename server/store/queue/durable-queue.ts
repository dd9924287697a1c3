import Database from 'better-sqlite3'
import { FullLatch } from './full-latch.ts'
import type { Reading } from '../../domain/reading.ts'
import { siblingModule } from '../../sibling-module.ts'
import { SeriesNumbers, transferOf } from '../worker/series-numbers.ts'
import { WorkerChannel } from '../worker/worker-channel.ts'
import type { DiskQueueOptions, QueueTotals } from './disk-queue.ts'
import { type QueuedBatch, QueueReader } from './queue-reader.ts'
import type { QueueWriterOptions, QueueWriterRequest } from './queue-writer.ts'

export interface DurableQueueOptions extends QueueWriterOptions {
  /** Called when the queue becomes full (true) or has room again (false). */
  onFullChange?: DiskQueueOptions['onFullChange']
}

/**
 * The durable queue as the main thread has it: the one object the queued store and its drainer
 * use. Every write — push, removal, purge — is a request to the queue writer thread, which owns
 * the only writing connection (queue-writer.ts); what the drainer sends next and the oldest
 * row's age are read here through a read-only connection, which in WAL mode never waits for the
 * writer. Depth and bytes are the writer's own count, as its latest answer gave them.
 */
export class DurableQueue {
  private writer: WorkerChannel<QueueWriterRequest> | undefined
  private db: Database.Database | undefined
  private reader: QueueReader | undefined
  private readonly seriesNumbers = new SeriesNumbers()
  private totals: QueueTotals = { readings: 0, bytes: 0 }
  private readonly latch: FullLatch

  constructor (private readonly options: DurableQueueOptions) {
    this.latch = new FullLatch(options.onFullChange)
  }

  async open (): Promise<void> {
    const { file, maxBytes, synchronous, rowReadings } = this.options
    const writerOptions: QueueWriterOptions = { file, maxBytes, ...(synchronous === undefined ? {} : { synchronous }), ...(rowReadings === undefined ? {} : { rowReadings }) }
    this.writer = await WorkerChannel.start<QueueWriterRequest>(siblingModule('./queue-writer', import.meta.url), writerOptions, 'queue writer')
    // The writer has created the file and its WAL: a read-only connection can open it now.
    this.db = new Database(file, { readonly: true, fileMustExist: true })
    this.reader = new QueueReader(this.db)
    await this.send({ op: 'status' }) // reopened full: the listener must hear it
  }

  /** Durable once this resolves (committed, with synchronous=full fsynced, by the writer thread). */
  async push (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    const batch = this.seriesNumbers.encode(readings)
    await this.send({ op: 'push', batch }, transferOf(batch))
  }

  /** Deletes delivered rows. */
  async remove (ids: readonly number[]): Promise<void> {
    await this.send({ op: 'remove', ids: [...ids] })
  }

  /** Drops every queued reading of the member (a member's data deletion must reach the queue too). */
  async purgeMember (member: string): Promise<void> {
    await this.send({ op: 'purgeMember', member })
  }

  /** The oldest rows (after row `afterId`), as many as fit in `maxReadings` (always at least one row). */
  peek (maxReadings: number, afterId = 0): QueuedBatch | undefined {
    return this.reader?.peek(maxReadings, afterId)
  }

  /** Readings waiting. */
  depth (): number { return this.totals.readings }
  /** Bytes of queued payload (the file itself also holds SQLite pages and the WAL). */
  bytes (): number { return this.totals.bytes }
  /** At TSUDOI_QUEUE_MAX_BYTES of payload: the hub stops acknowledging. */
  isFull (): boolean { return this.totals.bytes >= this.options.maxBytes }
  oldestAgeMs (): number { return this.reader?.oldestAgeMs() ?? 0 }

  /** Closes the read-only connection, then lets the writer finish what it was asked and stop. */
  async close (): Promise<void> {
    if (this.db?.open === true) this.db.close()
    await this.writer?.close()
  }

  /** A request to the writer thread; its answer is the queue's totals after it. */
  private async send (request: QueueWriterRequest, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.writer === undefined) throw new Error('the durable queue is not open')
    this.totals = await this.writer.request(request, transfer) as QueueTotals
    this.latch.update(this.isFull())
  }
}
