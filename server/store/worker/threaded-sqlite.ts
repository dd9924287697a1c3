import { Worker } from 'node:worker_threads'
import { TsudoiError } from '../../errors.ts'
import type {
  MemberBucketQuery, MemberBucketValue, MetricPresence, RawQuery, Reading, ReadingStore, SeriesPoint, SeriesQuery
} from '../reading-store.ts'
import { SqliteReadingStore } from '../sqlite.ts'
import type { WriterOptions, WriterReply, WriterRequest } from './protocol.ts'
import { SeriesNumbers } from './series-numbers.ts'

type Pending = { resolve: () => void, reject: (error: Error) => void }
type Request = WriterRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never

/**
 * The embedded store with its writes on a worker thread. A group commit of a few thousand
 * readings takes tens of milliseconds of synchronous SQLite; on the main thread that stalls
 * the broker for every device (bench/: ~35 ms commits at 20k msgs/s). Queries stay on the main
 * thread through a second connection: WAL lets it read while the writer commits.
 */
export class ThreadedSqliteStore implements ReadingStore {
  readonly kind = 'sqlite'
  private readonly reader: SqliteReadingStore
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private failure: Error | undefined
  private readonly seriesNumbers = new SeriesNumbers()

  constructor (private readonly options: WriterOptions) {
    this.reader = new SqliteReadingStore(options.file, options.synchronous)
  }

  async open (): Promise<void> {
    const worker = new Worker(new URL('./writer-entry.mjs', import.meta.url), { workerData: this.options })
    this.worker = worker
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WriterReply) => {
        if ('ready' in message) return resolve()
        const pending = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.ok) pending?.resolve()
        else pending?.reject(new TsudoiError('STORE_UNAVAILABLE', message.message))
      })
      worker.once('error', (error) => {
        // Nothing is acknowledged after this: every waiting and later append fails.
        this.failure = error
        for (const pending of this.pending.values()) pending.reject(error)
        this.pending.clear()
        reject(error)
      })
    })
    await this.reader.open()
  }

  private send (request: Request, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(new TsudoiError('STORE_UNAVAILABLE', `the store writer stopped: ${this.failure.message}`))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker!.postMessage({ ...request, id }, transfer)
    })
  }

  async append (readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return
    const batch = this.seriesNumbers.encode(readings)
    await this.send({ op: 'append', batch }, [batch.series.buffer, batch.times.buffer, batch.values.buffer] as ArrayBuffer[])
  }

  async deleteMember (member: string): Promise<void> {
    await this.send({ op: 'deleteMember', member })
  }

  readings (query: RawQuery): Promise<Reading[]> { return this.reader.readings(query) }
  series (query: SeriesQuery): Promise<SeriesPoint[]> { return this.reader.series(query) }
  memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> { return this.reader.memberBuckets(query) }
  memberMetrics (member: string): Promise<string[]> { return this.reader.memberMetrics(member) }
  presence (since: number): Promise<MetricPresence[]> { return this.reader.presence(since) }

  async close (): Promise<void> {
    if (this.worker !== undefined && this.failure === undefined) {
      await this.send({ op: 'close' })
      await this.worker.terminate()
    }
    await this.reader.close()
  }
}
