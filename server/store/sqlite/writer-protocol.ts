import type { ColumnBatch } from '../worker/series-numbers.ts'

// What the main thread sends the SQLite writer thread (writer.ts).

export type WriterRequest =
  | { op: 'append', batch: ColumnBatch }
  | { op: 'deleteMember', member: string }
  | { op: 'close' }

export interface WriterOptions { file: string, synchronous: 'full' | 'normal' }
