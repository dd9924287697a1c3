import type { MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, ReadingStore, SeriesPoint, SeriesQuery } from '../reading-store.ts'
import type { Reading } from '../../domain/reading.ts'
import { TsudoiError } from '../../errors.ts'
import { SqliteReadingStore } from './store.ts'
import type { WriterOptions, WriterRequest } from './writer-protocol.ts'
import { SeriesNumbers, transferOf } from '../worker/series-numbers.ts'
import { WorkerChannel } from '../worker/worker-channel.ts'
import { siblingModule } from '../../sibling-module.ts'

const RESTART_AFTER_MS = 1000

/**
 * The embedded store with its writes on a worker thread. A group commit of a few thousand
 * readings takes tens of milliseconds of synchronous SQLite; on the main thread that stalls
 * the broker for every device (bench/: ~35 ms commits at 20k msgs/s). Queries stay on the main
 * thread through a second connection: WAL lets it read while the writer commits.
 */
export class ThreadedSqliteStore implements ReadingStore {
  readonly kind = 'sqlite'
  private readonly reader: SqliteReadingStore
  private writer: WorkerChannel<WriterRequest> | undefined
  private starting: Promise<WorkerChannel<WriterRequest>> | undefined
  /** When the writer was last started again after dying (the first start at open() does not count). */
  private lastRestart = Number.NEGATIVE_INFINITY
  private seriesNumbers = new SeriesNumbers()
  private readonly failureListeners: Array<(worker: string, error: Error) => void> = []

  constructor (private readonly options: WriterOptions, private readonly clock: () => number = () => performance.now()) {
    this.reader = new SqliteReadingStore(options.file, options.synchronous)
  }

  async open (): Promise<void> {
    await this.startWriter()
    await this.reader.open()
  }

  /** Called each time the writer thread stops answering (the hub counts and logs it). */
  onWorkerFailure (listener: (worker: string, error: Error) => void): void {
    this.failureListeners.push(listener)
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    const writer = await this.liveWriter()
    const batch = this.seriesNumbers.encode(readings)
    await writer.request({ op: 'append', batch }, transferOf(batch))
  }

  async deleteMember (member: string): Promise<void> {
    await (await this.liveWriter()).request({ op: 'deleteMember', member })
  }

  /**
   * The writer thread, started again if it died (issue 12, item 10): what it held when it
   * died was refused, so those PUBACKs never went and the devices resend; the new thread
   * learns series numbers afresh. The first restart is at once, however soon after open();
   * then at most one a second: a thread that dies at every start (a full disk) fails each
   * commit loudly instead of spinning.
   */
  private async liveWriter (): Promise<WorkerChannel<WriterRequest>> {
    if (this.writer !== undefined && !this.writer.failed) return this.writer
    if (this.starting !== undefined) return await this.starting
    if (this.clock() - this.lastRestart < RESTART_AFTER_MS) {
      throw new TsudoiError('STORE_UNAVAILABLE', 'the store writer stopped and was restarted less than a second ago')
    }
    this.lastRestart = this.clock()
    return await this.startWriter()
  }

  private async startWriter (): Promise<WorkerChannel<WriterRequest>> {
    this.starting = WorkerChannel.start<WriterRequest>(siblingModule('./writer', import.meta.url), this.options, 'store writer')
    try {
      const writer = await this.starting
      this.seriesNumbers = new SeriesNumbers()
      writer.onFailure((error) => { for (const listener of this.failureListeners) listener('store writer', error) })
      this.writer = writer
      return writer
    } finally {
      this.starting = undefined
    }
  }

  /** Ends the writer thread as a crash would (tests of what follows one). */
  async killWriterForTest (): Promise<void> {
    await this.writer?.kill()
  }

  readings (query: RawQuery): Promise<Reading[]> { return this.reader.readings(query) }
  series (query: SeriesQuery): Promise<SeriesPoint[]> { return this.reader.series(query) }
  memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> { return this.reader.memberBuckets(query) }
  memberMetrics (member: string): Promise<string[]> { return this.reader.memberMetrics(member) }
  presence (since: number): Promise<MetricPresence[]> { return this.reader.presence(since) }
  deviceMetrics (): Promise<Array<{ device: string, metric: string }>> { return this.reader.deviceMetrics() }

  async close (): Promise<void> {
    await this.writer?.close()
    await this.reader.close()
  }
}
