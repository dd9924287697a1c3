import { workerData } from 'node:worker_threads'
import type { ColumnBatch } from '../worker/series-numbers.ts'
import { SeriesNames } from '../worker/series-numbers.ts'
import { serveRequests } from '../worker/worker-serve.ts'
import { DiskQueue, type DiskQueueOptions } from './disk-queue.ts'

// The queue writer thread: each push is a transaction with an fsync, the moment a PUBACK waits
// for. On the main thread that fsync, and serialising the rows, stalled the broker for every
// device (bench/: ~9 % of the main thread at 5k msgs/s); here it runs beside it. The drainer's
// removals come here too: from the main thread's connection they waited for this one's lock.

export type QueueWriterRequest =
  | { op: 'push', batch: ColumnBatch }
  | { op: 'remove', ids: number[] }
  | { op: 'close' }
export type QueueWriterOptions = Pick<DiskQueueOptions, 'file' | 'maxBytes' | 'synchronous' | 'rowReadings'>

const queue = new DiskQueue(workerData as QueueWriterOptions)
queue.open()
const names = new SeriesNames()

serveRequests<QueueWriterRequest & { id: number }>((request) => {
  if (request.op === 'push') return queue.push(names.readings(request.batch))
  // Here too, so the main thread never waits for this thread's write lock.
  if (request.op === 'remove') return queue.remove(request.ids)
  queue.close()
})
