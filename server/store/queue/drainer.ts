import type { Reading } from '../../domain/reading.ts'
import type { DeadLetterFile, Refusal } from './dead-letter.ts'
import type { QueuedBatch } from './queue-reader.ts'

// Moves readings from the disk queue to InfluxDB, oldest first, and deletes them from the queue
// only after a 2xx. Delivery is at least once: a crash between the 2xx and the delete sends the
// batch again on restart, which InfluxDB absorbs — a point is keyed by measurement, tag set and
// timestamp, and writing the same one again overwrites it (docs.influxdata.com/influxdb/v1.8/
// troubleshooting/frequently-asked-questions, "duplicate points"). So each reading ends up as
// exactly one point.

export interface DrainSink {
  write (readings: readonly Reading[]): Promise<void>
  /** The refusal when the server rejected the data itself (retrying can never succeed); else undefined. */
  refusal (error: unknown): Refusal | undefined
  /** How long the server asked to be left alone (a 429's or 503's Retry-After), if it said. */
  retryAfterMs?: (error: unknown) => number | undefined
}

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

export interface DrainerTuning {
  /** Readings per write (default 5000). */
  batchReadings: number
  /** Writes on their way at once (default 4). */
  concurrency: number
  /** First retry delay; doubles per failure up to maxRetryMs (defaults 500 ms and 30 s). */
  minRetryMs: number
  maxRetryMs: number
  /** Longest Retry-After honoured (default 5 min): a server asking for an hour is retried sooner. */
  maxRetryAfterMs: number
}

/** What the drainer needs of the queue; removal may be asynchronous (the hub's goes to the queue writer thread). */
export interface DrainQueue {
  /** The oldest rows after row `afterId` (0: from the start), up to `maxReadings` readings. */
  peek (maxReadings: number, afterId: number): QueuedBatch | undefined
  depth: () => number
  remove (ids: readonly number[]): unknown
}

export interface DrainerOptions extends Partial<DrainerTuning> {
  queue: DrainQueue
  sink: DrainSink
  deadLetter: DeadLetterFile
  timers?: Timers
  random?: () => number
  /** Told about each failed attempt and how long the drainer waits before the next. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void
  onDeadLetter?: (reading: Reading, refusal: Refusal) => void
}

export interface DrainerStats { written: number, deadLettered: number, failures: number, batches: number }

const defaultTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) }

export class Drainer {
  readonly stats: DrainerStats = { written: 0, deadLettered: 0, failures: 0, batches: 0 }
  private running: Promise<void> | undefined
  private stopping = false
  private paused = false
  private busy = false
  private consecutiveFailures = 0
  private wakeUp: (() => void) | undefined
  private sleeping: { handle: unknown, done: () => void } | undefined
  private drainedWaiters: Array<() => void> = []
  private idleWaiters: Array<() => void> = []

  constructor (private readonly options: DrainerOptions) {}

  start (): void {
    this.stopping = false
    this.running ??= this.loop().finally(() => { this.running = undefined })
  }

  /** Finishes the write in flight (bounded by the HTTP timeout) and stops; queued rows stay for the next start. */
  async stop (): Promise<void> {
    this.stopping = true
    this.interrupt()
    await this.running
  }

  /** New readings were pushed. */
  wake (): void {
    const wake = this.wakeUp
    this.wakeUp = undefined
    wake?.()
  }

  /** Resolves once the queue is empty and nothing is in flight. */
  drained (): Promise<void> {
    if (this.options.queue.depth() === 0 && !this.busy) return Promise.resolve()
    return new Promise((resolve) => this.drainedWaiters.push(resolve))
  }

  /** Holds the drainer once the write in flight is done (a member's deletion must not race a write). */
  async pause (): Promise<void> {
    this.paused = true
    if (this.busy) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  resume (): void {
    this.paused = false
    this.wake()
  }

  private async loop (): Promise<void> {
    const { queue, batchReadings = 5000, concurrency = 4 } = this.options
    while (!this.stopping) {
      const batches = this.paused ? [] : this.nextBatches(batchReadings, concurrency)
      if (batches.length === 0) {
        if (!this.paused) this.settle(this.drainedWaiters)
        await new Promise<void>((resolve) => { this.wakeUp = resolve })
        continue
      }
      this.busy = true
      // Consecutive batches go out together: one at a time left InfluxDB idle while the hub
      // turned the next batch into line protocol (bench/). Each is removed once written; a
      // failed one stays first in the queue and is sent again after the backoff.
      const outcomes = await Promise.allSettled(batches.map(async (batch) => {
        await this.deliver(batch.readings)
        await queue.remove(batch.ids)
      }))
      this.stats.batches += outcomes.filter((outcome) => outcome.status === 'fulfilled').length
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
      let delay = 0
      if (failure === undefined) {
        this.consecutiveFailures = 0
      } else {
        this.stats.failures++
        delay = this.backoff(++this.consecutiveFailures, failure.reason)
        this.options.onRetry?.(failure.reason, this.consecutiveFailures, delay)
      }
      this.busy = false
      this.settle(this.idleWaiters)
      if (delay > 0) await this.sleep(delay)
    }
  }

  /** Up to `count` consecutive batches from the head of the queue. */
  private nextBatches (batchReadings: number, count: number): QueuedBatch[] {
    const batches: QueuedBatch[] = []
    let after = 0
    while (batches.length < count) {
      const batch = this.options.queue.peek(batchReadings, after)
      if (batch === undefined) break
      batches.push(batch)
      after = batch.ids.at(-1)!
    }
    return batches
  }

  /**
   * Writes the readings; when the server refuses the data itself, splits the batch in halves
   * until the refused readings are alone, parks those in the dead-letter file and lets the
   * rest through. (1.x may already have written the good lines of a refused batch — "partial
   * write" — and sending them again is harmless, see above.) Any other error propagates and
   * the whole batch is retried.
   */
  private async deliver (readings: readonly Reading[]): Promise<void> {
    try {
      await this.options.sink.write(readings)
      this.stats.written += readings.length
    } catch (error) {
      const refusal = this.options.sink.refusal(error)
      if (refusal === undefined) throw error
      if (readings.length === 1) {
        this.options.deadLetter.record(readings[0]!, refusal)
        this.stats.deadLettered++
        this.options.onDeadLetter?.(readings[0]!, refusal)
        return
      }
      const middle = Math.ceil(readings.length / 2)
      await this.deliver(readings.slice(0, middle))
      await this.deliver(readings.slice(middle))
    }
  }

  /**
   * Exponential with a cap, and jitter (half to full) so hubs restarted together don't retry in
   * step; never sooner than the server's Retry-After (a 429 or 503 retried before it only earns
   * another one).
   */
  private backoff (failures: number, error: unknown): number {
    const { minRetryMs = 500, maxRetryMs = 30_000, maxRetryAfterMs = 300_000, random = Math.random } = this.options
    const ceiling = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(failures - 1, 30))
    const jittered = Math.max(1, Math.round(ceiling * (0.5 + random() / 2)))
    const asked = this.options.sink.retryAfterMs?.(error)
    return asked === undefined ? jittered : Math.max(jittered, Math.min(asked, maxRetryAfterMs))
  }

  private async sleep (ms: number): Promise<void> {
    const timers = this.options.timers ?? defaultTimers
    await new Promise<void>((resolve) => {
      const handle = timers.setTimeout(() => { this.sleeping = undefined; resolve() }, ms)
      this.sleeping = { handle, done: resolve }
    })
  }

  private interrupt (): void {
    const sleeping = this.sleeping
    this.sleeping = undefined
    if (sleeping !== undefined) {
      (this.options.timers ?? defaultTimers).clearTimeout(sleeping.handle)
      sleeping.done()
    }
    this.wake()
  }

  private settle (waiters: Array<() => void>): void {
    for (const resolve of waiters.splice(0)) resolve()
  }
}
