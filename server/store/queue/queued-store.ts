import { ensurePrivateDir } from '../../private-files.ts'
import { join } from 'node:path'
import { TsudoiError } from '../../errors.ts'
import type { Log } from '../../log.ts'
import type { InfluxReadingStore } from '../influx/store.ts'
import type { InfluxRollups } from '../influx/rollup.ts'
import { InfluxWriteError, isRefusedByServer } from '../influx/writer.ts'
import { LineEncoder } from '../influx/line.ts'
import type { MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, ReadingStore, SeriesPoint, SeriesQuery } from '../reading-store.ts'
import type { Reading } from '../../domain/reading.ts'
import { DeadLetterFile } from './dead-letter.ts'
import { DurableQueue, type DurableQueueOptions } from './durable-queue.ts'
import { Drainer, type DrainerStats, type DrainerTuning, type Timers } from './drainer.ts'

export interface QueuedStoreOptions {
  /** The data dir (TSUDOI_DATA_DIR): holds queue.db and dead-letter.jsonl. */
  dir: string
  influx: InfluxReadingStore
  /** TSUDOI_QUEUE_MAX_BYTES: at this much queued payload append() refuses with QUEUE_FULL. */
  maxBytes: number
  /** TSUDOI_SYNC. */
  synchronous?: 'full' | 'normal'
  /** The queue became full (true: stop acknowledging) or has room again (false). */
  onFullChange?: (full: boolean) => void
  /** A write to InfluxDB failed and will be retried after delayMs. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void
  /** Retries (warn), dead letters (error) and the queue filling up (warn) are logged here. */
  log?: Log
  drain?: Partial<DrainerTuning> & { timers?: Timers, rowReadings?: number }
}

/**
 * InfluxDB behind the durable queue. append() resolves once the readings are committed to
 * queue.db — that is what a PUBACK waits for — and a drainer writes them to InfluxDB in the
 * background, retrying while it is down. Queries go to InfluxDB, so a reading is queryable only
 * once drained (normally within milliseconds; drained() waits for it).
 */
export class QueuedReadingStore implements ReadingStore {
  readonly kind = 'influxdb+queue'
  readonly queue: DurableQueue
  readonly deadLetter: DeadLetterFile
  private readonly drainer: Drainer

  constructor (private readonly options: QueuedStoreOptions) {
    const queueOptions: DurableQueueOptions = { file: join(options.dir, 'queue.db'), maxBytes: options.maxBytes }
    if (options.synchronous !== undefined) queueOptions.synchronous = options.synchronous
    if (options.drain?.rowReadings !== undefined) queueOptions.rowReadings = options.drain.rowReadings
    queueOptions.onFullChange = (full) => {
      if (full) options.log?.warn({ bytes: this.queue.bytes(), maxBytes: options.maxBytes }, 'durable queue full: acknowledgements paused')
      else options.log?.info({ bytes: this.queue.bytes() }, 'durable queue has room again')
      options.onFullChange?.(full)
    }
    this.queue = new DurableQueue(queueOptions)
    // The line InfluxDB would have received, for an operator replaying it.
    this.deadLetter = new DeadLetterFile(join(options.dir, 'dead-letter.jsonl'), new LineEncoder().line)
    this.drainer = new Drainer({
      ...options.drain,
      queue: this.queue,
      deadLetter: this.deadLetter,
      sink: {
        write: async (readings) => { await options.influx.append(readings) },
        refusal: (error) => isRefusedByServer(error) ? { status: error.status, message: error.serverMessage } : undefined,
        retryAfterMs: (error) => error instanceof InfluxWriteError ? error.retryAfterMs : undefined
      },
      onRetry: (error, failures, delayMs) => {
        options.log?.warn({ err: error, failures, delayMs, depth: this.queue.depth() }, 'InfluxDB write failed; retrying')
        options.onRetry?.(error, failures, delayMs)
      },
      onDeadLetter: (reading, refusal) => {
        options.log?.error({ reading, ...refusal, file: this.deadLetter.file }, 'InfluxDB refused a reading; parked in the dead-letter file')
      }
    })
  }

  /**
   * Opens the queue and starts draining. InfluxDB being down is not an error: readings wait,
   * so the first contact (which logs the server's version) is not awaited.
   */
  async open (): Promise<void> {
    ensurePrivateDir(this.options.dir)
    await this.queue.open()
    this.drainer.start()
    this.options.influx.open().catch((error: unknown) => {
      this.options.log?.warn({ err: error, depth: this.queue.depth() }, 'InfluxDB unreachable at startup; readings wait in the queue')
    })
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    // docs/architecture.md: when the disk queue is full the hub stops acknowledging, so devices keep
    // their data and resend it later.
    if (this.queue.isFull()) throw new TsudoiError('QUEUE_FULL')
    await this.queue.push(readings)
    this.drainer.wake()
  }

  readings (query: RawQuery): Promise<Reading[]> { return this.options.influx.readings(query) }
  series (query: SeriesQuery): Promise<SeriesPoint[]> { return this.options.influx.series(query) }
  memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> { return this.options.influx.memberBuckets(query) }
  memberMetrics (member: string): Promise<string[]> { return this.options.influx.memberMetrics(member) }
  presence (since: number): Promise<MetricPresence[]> { return this.options.influx.presence(since) }
  deviceMetrics (): Promise<Array<{ device: string, metric: string }>> { return this.options.influx.deviceMetrics() }

  /**
   * Purges the member from the queue too (on the writer thread, like every write to it), with
   * the drainer held so no write of theirs lands after the delete.
   */
  async deleteMember (member: string): Promise<void> {
    await this.drainer.pause()
    try {
      await this.queue.purgeMember(member)
      await this.options.influx.deleteMember(member)
    } finally {
      this.drainer.resume()
    }
  }

  /** Readings waiting in the queue. */
  depth (): number { return this.queue.depth() }
  bytes (): number { return this.queue.bytes() }
  oldestAgeMs (): number { return this.queue.oldestAgeMs() }
  isFull (): boolean { return this.queue.isFull() }
  /** Resolves once everything appended so far is in InfluxDB (or dead-lettered). */
  drained (): Promise<void> { return this.drainer.drained() }
  get stats (): Readonly<DrainerStats> { return this.drainer.stats }
  /** InfluxDB's hourly rollup (status(), settle()): how far comparisons can read it yet. */
  get rollups (): InfluxRollups { return this.options.influx.rollups }

  /** Stops draining (what is queued stays for the next open) and closes the queue. */
  async close (): Promise<void> {
    await this.drainer.stop()
    await this.queue.close()
    await this.options.influx.close()
  }
}
