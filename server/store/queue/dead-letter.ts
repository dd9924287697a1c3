import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { PRIVATE_FILE_MODE } from '../../private-files.ts'
import type { Reading } from '../../domain/reading.ts'

export interface Refusal { status?: number, message: string }

export interface DeadLetterEntry { at: string, status?: number, message: string, line?: string, reading: Reading }

/**
 * Readings InfluxDB refused for good (a 4xx for that very line, e.g. a field type conflict),
 * parked as JSON lines so the queue keeps flowing and an operator can see why and replay them.
 * fsync'd before the queue row goes: the reading leaves the queue only once it is on disk here.
 */
export class DeadLetterFile {
  constructor (readonly file: string, private readonly toLine?: (reading: Reading) => string) {}

  record (reading: Reading, refusal: Refusal, now = new Date()): void {
    const entry: DeadLetterEntry = { at: now.toISOString(), message: refusal.message, reading }
    if (refusal.status !== undefined) entry.status = refusal.status
    if (this.toLine !== undefined) entry.line = this.toLine(reading)
    // The readings are a member's raw data: only the hub's account may read them (also a file an older hub made).
    const fd = openSync(this.file, 'a', PRIVATE_FILE_MODE)
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE)
      writeSync(fd, `${JSON.stringify(entry)}\n`)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
}
