import { workerData } from 'node:worker_threads'
import { type ColumnBatch, SeriesNames } from '../worker/series-numbers.ts'
import { serveRequests } from '../worker/worker-serve.ts'
import { DiskQueue, type DiskQueueOptions, type QueueTotals } from './disk-queue.ts'

// The queue writer thread: the one connection that writes queue.db — pushes, the drainer's
// removals and a member's purge. A push is a transaction with an fsync, the moment a PUBACK
// waits for; on the main thread that fsync, and serialising the rows, stalled the broker for
// every device (bench/: ~9 % of the main thread at 5k msgs/s). A purge rewrites every row that
// holds the member: on the main thread it waited (busy_timeout, up to 10 s) for this thread's
// lock, stopping the broker meanwhile. Every answer is the queue's totals after the request,
// so the main thread reports what this connection counted instead of keeping a second count.

export type QueueWriterRequest =
  | { op: 'status' }
  | { op: 'push', batch: ColumnBatch }
  | { op: 'remove', ids: number[] }
  | { op: 'purgeMember', member: string }
  | { op: 'close' }
export type QueueWriterOptions = Pick<DiskQueueOptions, 'file' | 'maxBytes' | 'synchronous' | 'rowReadings'>

const queue = new DiskQueue(workerData as QueueWriterOptions)
queue.open()
const names = new SeriesNames()

serveRequests<QueueWriterRequest & { id: number }>((request): QueueTotals | undefined => {
  if (request.op === 'push') queue.push(names.readings(request.batch))
  else if (request.op === 'remove') queue.remove(request.ids)
  else if (request.op === 'purgeMember') queue.purge((reading) => reading.member === request.member)
  else if (request.op === 'close') {
    queue.close()
    return undefined
  }
  return queue.totals()
})
