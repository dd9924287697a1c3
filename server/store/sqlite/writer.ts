import { workerData } from 'node:worker_threads'
import { type SeriesRow, SqliteReadingStore } from './store.ts'
import type { WriterOptions, WriterRequest } from './writer-protocol.ts'
import { type ColumnBatch, SeriesNames } from '../worker/series-numbers.ts'
import { serveRequests } from '../worker/worker-serve.ts'

// The writer thread: owns the one connection that writes readings, so a commit (and its
// fsync) runs beside the broker instead of stopping it.
const { file, synchronous } = workerData as WriterOptions
const store = new SqliteReadingStore(file, synchronous)
await store.open()

// The main thread's series numbers: their names for good, their rows until a member's data
// is deleted (the rows are gone then; the next batch looks them up, or creates them, again).
const names = new SeriesNames()
let rows: Array<SeriesRow | undefined> = []

function append (batch: ColumnBatch): void {
  names.learn(batch)
  const { series, times, values } = batch
  const batchRows = new Array<SeriesRow>(series.length)
  for (let i = 0; i < series.length; i++) {
    const index = series[i]!
    batchRows[i] = rows[index] ??= store.seriesRow(names.key(index))
  }
  store.appendRows(batchRows, times, values)
}

serveRequests<WriterRequest & { id: number }>(async (request) => {
  if (request.op === 'append') return append(request.batch)
  if (request.op === 'deleteMember') {
    rows = []
    return await store.deleteMember(request.member)
  }
  await store.close()
})
