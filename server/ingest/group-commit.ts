import type { Reading } from '../domain/reading.ts'

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  now: () => number
}

interface Waiter { readings: readonly Reading[], done: (error: Error | null) => void }

export interface CommitStats { readings: number, seconds: number, waitedSeconds: number }

/**
 * Gathers what arrives within a few milliseconds into one durable write, then answers every
 * waiter in arrival order — which keeps PUBACKs in the order their PUBLISHes came in
 * [MQTT-4.6.0-2]. One write is in flight at a time; what arrives meanwhile forms the next batch,
 * so under load batches grow instead of writes queueing up.
 */
export class GroupCommitter {
  private pending: Waiter[] = []
  private pendingReadings = 0
  private scheduled = false
  private writing = false
  private saturatedSince: number | undefined
  private idleWaiters: Array<() => void> = []

  constructor (
    private readonly write: (readings: readonly Reading[]) => Promise<void>,
    private readonly windowMs: number,
    private readonly onCommit: (stats: CommitStats) => void = () => {},
    private readonly maxBatch = 20_000,
    // A window of 0 commits on the next turn of the event loop: whatever every socket
    // delivered in this poll phase goes into one transaction, with no added wait.
    private readonly timers: Timers = { setTimeout: (fn, ms) => ms <= 0 ? setImmediate(fn) : setTimeout(fn, ms), now: () => performance.now() }
  ) {}

  /** Calls `done` once `readings` are durable (or with the error that kept them from being so). */
  submit (readings: readonly Reading[], done: (error: Error | null) => void): void {
    this.pending.push({ readings, done })
    this.pendingReadings += readings.length
    if (this.writing) {
      this.saturatedSince ??= this.timers.now()
      return
    }
    if (this.pendingReadings >= this.maxBatch) {
      void this.flush()
    } else if (!this.scheduled) {
      this.scheduled = true
      this.timers.setTimeout(() => { void this.flush() }, this.windowMs)
    }
  }

  get waiting (): number {
    return this.pending.length
  }

  /** Resolves when nothing is pending or being written (used at shutdown). */
  idle (): Promise<void> {
    if (!this.writing && this.pending.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private async flush (): Promise<void> {
    this.scheduled = false
    if (this.writing || this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.pendingReadings = 0
    this.writing = true
    const readings = batch.length === 1 ? batch[0]!.readings : batch.flatMap((waiter) => waiter.readings)
    const started = this.timers.now()
    const waitedSeconds = this.saturatedSince === undefined ? 0 : (started - this.saturatedSince) / 1000
    this.saturatedSince = undefined
    let failure: Error | null = null
    try {
      if (readings.length > 0) await this.write(readings)
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error))
    }
    this.writing = false
    this.onCommit({ readings: readings.length, seconds: (this.timers.now() - started) / 1000, waitedSeconds })
    for (const waiter of batch) waiter.done(failure)
    if (this.pending.length > 0) {
      // Yield to I/O before the next commit: a synchronous store resolves at once, and the
      // callbacks above feed aedes more buffered packets, so chaining commits in microtasks
      // would let one flooding connection starve every other socket.
      this.scheduled = true
      setImmediate(() => { void this.flush() })
    } else {
      for (const resolve of this.idleWaiters.splice(0)) resolve()
    }
  }
}
