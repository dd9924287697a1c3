import type {
  MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, Reading, ReadingStore, SeriesPoint, SeriesQuery
} from '../reading-store.ts'
import { SqliteReadingStore } from '../sqlite.ts'
import type { WriterOptions, WriterRequest } from './protocol.ts'
import { SeriesNumbers, transferOf } from './series-numbers.ts'
import { WorkerChannel } from './worker-channel.ts'
import { siblingModule } from '../../sibling-module.ts'

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
  private readonly seriesNumbers = new SeriesNumbers()

  constructor (private readonly options: WriterOptions) {
    this.reader = new SqliteReadingStore(options.file, options.synchronous)
  }

  async open (): Promise<void> {
    this.writer = await WorkerChannel.start<WriterRequest>(siblingModule('./writer', import.meta.url), this.options, 'store writer')
    await this.reader.open()
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    const batch = this.seriesNumbers.encode(readings)
    await this.writer!.request({ op: 'append', batch }, transferOf(batch))
  }

  async deleteMember (member: string): Promise<void> {
    await this.writer!.request({ op: 'deleteMember', member })
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
