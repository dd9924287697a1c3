import type { SeriesKey } from '../sqlite.ts'

// What the main thread sends the SQLite writer thread (writer.ts).

/**
 * A batch of readings as columns. Reading i is `values[i]` at `times[i]` of the series the
 * main thread numbered `series[i]`; `newSeries` names the numbers this batch uses for the
 * first time. The arrays' buffers are transferred, not copied: structured-cloning one object
 * with four strings per reading was the largest cost of handing a commit to a worker (bench/).
 */
export interface ColumnBatch {
  newSeries: Array<{ index: number, key: SeriesKey }>
  series: Int32Array
  times: Float64Array
  values: Float64Array
}

export type WriterRequest =
  | { op: 'append', batch: ColumnBatch }
  | { op: 'deleteMember', member: string }
  | { op: 'close' }

export interface WriterOptions { file: string, synchronous: 'full' | 'normal' }
