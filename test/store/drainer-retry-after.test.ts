import { describe, expect, it } from 'vitest'
import { DeadLetterFile } from '../../server/store/queue/dead-letter.ts'
import { Drainer } from '../../server/store/queue/drainer.ts'
import type { Reading } from '../../server/domain/reading.ts'
import { T0, reading } from './reading-store.contract.ts'

// The drainer's wait after a failed write: its own backoff, or the server's Retry-After when
// longer, up to maxRetryAfterMs (an InfluxDB asking for an hour is asked again sooner).

class Overloaded extends Error { constructor (readonly retryAfterMs: number | undefined) { super('InfluxDB write answered 503') } }

async function delaysFor (answers: Array<number | undefined>): Promise<number[]> {
  let rows: Array<{ id: number, reading: Reading }> = [{ id: 1, reading: reading('m', 'd', 'temperature', T0, 1) }]
  const delays: number[] = []
  const pending = [...answers]
  const drainer = new Drainer({
    queue: {
      peek: (_max, after) => {
        const row = rows.find((candidate) => candidate.id > after)
        return row === undefined ? undefined : { ids: [row.id], readings: [row.reading] }
      },
      depth: () => rows.length,
      remove: (ids) => { rows = rows.filter((row) => !ids.includes(row.id)) }
    },
    sink: {
      write: async () => { if (pending.length > 0) throw new Overloaded(pending.shift()) },
      refusal: () => undefined,
      retryAfterMs: (error) => error instanceof Overloaded ? error.retryAfterMs : undefined
    },
    deadLetter: new DeadLetterFile('/nonexistent/never-written.jsonl'),
    minRetryMs: 100,
    maxRetryMs: 1000,
    maxRetryAfterMs: 60_000,
    random: () => 1,
    timers: { setTimeout: (fn, ms) => { delays.push(ms); return setTimeout(fn, 0) }, clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout) } }
  })
  drainer.start()
  await drainer.drained()
  await drainer.stop()
  return delays
}

describe('Drainer and Retry-After', () => {
  it('waits for the longer of its backoff and the server\'s Retry-After, capped at maxRetryAfterMs', async () => {
    // Backoff with random() = 1: 100, 200, 400, 800 ms.
    expect(await delaysFor([undefined, 7000, 50, 3_600_000])).toEqual([100, 7000, 400, 60_000])
  })
})
