import { parentPort, workerData } from 'node:worker_threads'
import { type SeriesKey, type SeriesRow, SqliteReadingStore } from '../sqlite.ts'
import type { ColumnBatch, WriterOptions, WriterReply, WriterRequest } from './protocol.ts'

// The writer thread: owns the one connection that writes readings, so a commit (and its
// fsync) runs beside the broker instead of stopping it.
const { file, synchronous } = workerData as WriterOptions
const store = new SqliteReadingStore(file, synchronous)
await store.open()
const port = parentPort!
const reply = (message: WriterReply): void => port.postMessage(message)

// The main thread's series numbers: their names for good, their rows until a member's data
// is deleted (the rows are gone then; the next batch looks them up, or creates them, again).
const keys: SeriesKey[] = []
let rows: Array<SeriesRow | undefined> = []

port.on('message', (request: WriterRequest) => {
  void handle(request).then(
    () => {
      reply({ id: request.id, ok: true })
      if (request.op === 'close') port.close()
    },
    (error: unknown) => reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) })
  )
})
reply({ ready: true })

function append ({ newSeries, series, times, values }: ColumnBatch): void {
  for (const { index, key } of newSeries) keys[index] = key
  const batchRows = new Array<SeriesRow>(series.length)
  for (let i = 0; i < series.length; i++) {
    const index = series[i]!
    batchRows[i] = rows[index] ??= store.seriesRow(keys[index]!)
  }
  store.appendRows(batchRows, times, values)
}

async function handle (request: WriterRequest): Promise<void> {
  if (request.op === 'append') return append(request.batch)
  if (request.op === 'deleteMember') {
    rows = []
    return store.deleteMember(request.member)
  }
  await store.close()
}
