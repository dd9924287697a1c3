import type { SeriesKey } from '../sqlite.ts'

// Messages between the hub's main thread and the SQLite writer thread.

/**
 * A batch of readings as columns. Reading i is `values[i]` at `times[i]` of the series the
 * main thread numbered `series[i]`; `newSeries` names the numbers this batch uses for the
 * first time. The arrays' buffers are transferred, not copied: structured-cloning one object
 * with four strings per reading was the largest cost of handing a commit to the writer (bench/).
 */
export interface ColumnBatch {
  newSeries: Array<{ index: number, key: SeriesKey }>
  series: Int32Array
  times: Float64Array
  values: Float64Array
}

export type WriterRequest =
  | { id: number, op: 'append', batch: ColumnBatch }
  | { id: number, op: 'deleteMember', member: string }
  | { id: number, op: 'close' }

export type WriterReply =
  | { id: number, ok: true }
  | { id: number, ok: false, message: string }
  | { ready: true }

export interface WriterOptions { file: string, synchronous: 'full' | 'normal' }
