import type { Reading } from '../reading-store.ts'

// Messages between the hub's main thread and the SQLite writer thread.
export type WriterRequest =
  | { id: number, op: 'append', readings: readonly Reading[] }
  | { id: number, op: 'deleteMember', member: string }
  | { id: number, op: 'close' }

export type WriterReply =
  | { id: number, ok: true }
  | { id: number, ok: false, message: string }
  | { ready: true }

export interface WriterOptions { file: string, synchronous: 'full' | 'normal' }
