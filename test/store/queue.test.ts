import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InfluxWriteError, isRefusedByServer } from '../../server/store/influx/writer.ts'
import type { Reading } from '../../server/domain/reading.ts'
import { DeadLetterFile } from '../../server/store/queue/dead-letter.ts'
import { DiskQueue } from '../../server/store/queue/disk-queue.ts'
import { Drainer, type DrainSink } from '../../server/store/queue/drainer.ts'
import { T0, reading } from './reading-store.contract.ts'

const readings = (n: number, start = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => reading('m', 'd', 'temperature', T0 + (start + i) * 1000, start + i))

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsudoi-queue-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('DiskQueue', () => {
  it('keeps readings across a reopen, oldest first, with depth, bytes and age', () => {
    let now = 1_000
    const queue = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 1e9, rowReadings: 3, now: () => now })
    queue.open()
    queue.push(readings(5))
    now = 1_500
    queue.push(readings(2, 5))
    expect(queue.depth()).toBe(7)
    expect(queue.oldestAgeMs()).toBe(500)
    const bytes = queue.bytes()
    expect(bytes).toBeGreaterThan(0)
    queue.close() // or a crash: the rows are committed either way

    const reopened = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 1e9, now: () => now })
    reopened.open()
    expect([reopened.depth(), reopened.bytes()]).toEqual([7, bytes])
    const first = reopened.peek(4)! // rows of 3, 2 and 2 readings: only the first row fits in 4
    expect(first.readings).toEqual(readings(3))
    expect(reopened.peek(5)!.readings).toEqual(readings(5))
    expect(reopened.peek(1)!.readings).toEqual(readings(3)) // at least one row
    reopened.remove(first.ids)
    expect(reopened.depth()).toBe(4)
    expect(reopened.peek(100)!.readings).toEqual(readings(4, 3))
    reopened.purge((r) => r.value === 5)
    expect(reopened.peek(100)!.readings).toEqual([...readings(2, 3), ...readings(1, 6)])
    reopened.remove(reopened.peek(100)!.ids)
    expect([reopened.depth(), reopened.bytes(), reopened.oldestAgeMs(), reopened.peek(100)]).toEqual([0, 0, 0, undefined])
    reopened.close()
  })

  it('tells when it becomes full and when it has room again', () => {
    const changes: boolean[] = []
    const queue = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 400, onFullChange: (full) => changes.push(full) })
    queue.open()
    queue.push(readings(3))
    expect([queue.isFull(), changes]).toEqual([false, []])
    queue.push(readings(5, 3))
    expect([queue.isFull(), changes]).toEqual([true, [true]])
    queue.push(readings(1, 8))
    expect(changes).toEqual([true])
    queue.remove(queue.peek(1000)!.ids)
    expect([queue.isFull(), changes]).toEqual([false, [true, false]])
    queue.close()
  })
})

describe('Drainer', () => {
  const refusedValue = -1
  /** A sink standing in for InfluxDB: refuses whole batches holding a poisoned reading (like a 400), or is down. */
  function fakeSink () {
    const sink = {
      down: false,
      writes: [] as number[],
      stored: new Map<number, Reading>(),
      write: async (batch: readonly Reading[]) => {
        sink.writes.push(batch.length)
        if (sink.down) throw new InfluxWriteError(undefined, 'connect ECONNREFUSED')
        if (batch.some((r) => r.value === refusedValue)) throw new InfluxWriteError(400, 'partial write: field type conflict')
        for (const r of batch) sink.stored.set(r.time, r)
      },
      refusal: (error: unknown) => isRefusedByServer(error) ? { status: error.status, message: error.serverMessage } : undefined
    } satisfies DrainSink & Record<string, unknown>
    return sink
  }

  it('sends consecutive batches together, removes each once written and sends a failed one again', async () => {
    const queue = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 1e9, rowReadings: 10 })
    queue.open()
    const sink = fakeSink()
    let inFlight = 0
    let mostInFlight = 0
    let failedOnce = false
    const write = sink.write
    sink.write = async (batch) => {
      inFlight++
      mostInFlight = Math.max(mostInFlight, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5))
      inFlight--
      // The second batch fails the first time it is sent.
      if (!failedOnce && batch[0]!.value === 20) { failedOnce = true; throw new InfluxWriteError(503, 'overloaded') }
      await write(batch)
    }
    const drainer = new Drainer({ queue, sink, deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl')), batchReadings: 20, concurrency: 2, minRetryMs: 1, maxRetryMs: 1 })
    queue.push(readings(70))
    drainer.start()
    await drainer.drained()
    expect(mostInFlight).toBe(2)
    expect([...sink.stored.values()].sort((a, b) => a.time - b.time)).toEqual(readings(70))
    expect(drainer.stats).toEqual({ written: 70, deadLettered: 0, failures: 1, batches: 4 })
    expect(queue.depth()).toBe(0)
    await drainer.stop()
    queue.close()
  })

  it('writes in batches, retries with capped exponential backoff while down, then resumes', async () => {
    const queue = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 1e9, rowReadings: 10 })
    queue.open()
    const sink = fakeSink()
    sink.down = true
    const delays: number[] = []
    const drainer = new Drainer({
      queue, sink, deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl')), batchReadings: 20, concurrency: 1, minRetryMs: 2, maxRetryMs: 16, random: () => 1,
      onRetry: (_error, failures, delay) => { delays.push(delay); if (failures === 6) sink.down = false }
    })
    queue.push(readings(45))
    drainer.start()
    await drainer.drained()
    expect(delays).toEqual([2, 4, 8, 16, 16, 16])
    expect(sink.writes).toEqual([20, 20, 20, 20, 20, 20, 20, 20, 5])
    expect([...sink.stored.values()]).toEqual(readings(45))
    expect(drainer.stats).toEqual({ written: 45, deadLettered: 0, failures: 6, batches: 3 })
    await drainer.stop()
    queue.close()
  })

  it('bisects a refused batch, dead-letters only the refused readings and keeps the rest flowing', async () => {
    const queue = new DiskQueue({ file: join(dir, 'queue.db'), maxBytes: 1e9 })
    queue.open()
    const sink = fakeSink()
    const batch = readings(16)
    batch[5] = { ...batch[5]!, value: refusedValue }
    batch[12] = { ...batch[12]!, value: refusedValue }
    const drainer = new Drainer({ queue, sink, deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl'), (r) => `line ${r.time}`) })
    queue.push(batch)
    drainer.start()
    await drainer.drained()
    expect([...sink.stored.values()]).toEqual(batch.filter((r) => r.value !== refusedValue))
    const dead = readFileSync(join(dir, 'dead.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(dead).toEqual([batch[5], batch[12]].map((r) => ({
      at: expect.any(String), status: 400, message: 'partial write: field type conflict', line: `line ${r!.time}`, reading: r
    })))
    expect([queue.depth(), drainer.stats.deadLettered, drainer.stats.written]).toEqual([0, 2, 14])
    await drainer.stop()
    queue.close()
  })
})
