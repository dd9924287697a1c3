import { TsudoiError } from '../../errors.ts'
import type { Log } from '../../log.ts'
import { type InfluxConnectionOptions, InfluxHttp } from './http.ts'
import { bucketPoints } from './release-points.ts'
import { type RestoreOutcome, restoreReleases } from './release-restore.ts'
import { InfluxWriteError, InfluxWriter, MAX_WRITE_BATCH, isRefusedByServer, writePath } from './writer.ts'
import type { BucketKey, ReleaseStore } from '../release-store.ts'
import type { Point } from '@influxdata/influxdb-client'

// The durable copy of the releases in InfluxDB mode (docs/privacy.md, "Where releases are
// stored"). releases.db stays the index every comparison reads; this keeps InfluxDB holding
// the same bodies, so a lost data dir or a new node gets them back instead of recomputing them.
//
// On start it restores first (release-restore.ts), retrying while InfluxDB is down;
// the releaser waits for that (restored()), so no bucket is released before this node knows
// what was released already. Then it writes each released bucket once: a bucket waits in
// releases.db's `unarchived_bucket` — filled in the transaction that saves it — until
// InfluxDB answered 2xx, and is retried with the readings drainer's back-off
// (queue/drainer.ts) while InfluxDB is down. What is written is what releases.db holds, so
// writing a bucket again (a crash between the 2xx and the bookkeeping) writes the same bodies.

export interface ReleaseArchiveOptions {
  influx: InfluxConnectionOptions
  releases: ReleaseStore
  log?: Log
  /** First retry delay, doubling per failure up to maxRetryMs (defaults 500 ms and 30 s, as the readings'). */
  minRetryMs?: number
  maxRetryMs?: number
  /** Longest Retry-After honoured (default 5 min). */
  maxRetryAfterMs?: number
  random?: () => number
}

export interface ReleaseArchiveStatus {
  restored: RestoreOutcome | undefined
  /** Released buckets not in InfluxDB yet. */
  unarchived: number
  /** Buckets written since start. */
  written: number
  /** Buckets InfluxDB refused for good (logged; they stay in releases.db). */
  refused: number
  failures: number
  lastError: string | undefined
}

/** Buckets read from releases.db per round. */
const ROUND_BUCKETS = 500

export class InfluxReleaseArchive {
  private readonly http: InfluxHttp
  private writer: InfluxWriter | undefined
  private running: Promise<void> | undefined
  private stopping = false
  private gate = deferred()
  private wakeUp: (() => void) | undefined
  private sleeping: { timer: NodeJS.Timeout, done: () => void } | undefined
  private drainedWaiters: Array<() => void> = []
  private readonly stats: Omit<ReleaseArchiveStatus, 'unarchived'> = { restored: undefined, written: 0, refused: 0, failures: 0, lastError: undefined }

  constructor (private readonly options: ReleaseArchiveOptions) {
    this.http = new InfluxHttp(options.influx)
    options.releases.onSave(() => this.wake())
  }

  /** Restores, then writes; call after the release store is open. */
  start (): void {
    this.stopping = false
    if (this.stats.restored === undefined && this.gate.settled) this.gate = deferred()
    this.running ??= this.loop().finally(() => { this.running = undefined })
  }

  /**
   * Resolves once releases.db holds every release InfluxDB has; rejects when the archive stops
   * before that (the releaser must then not run: it would recompute what it cannot see).
   */
  restored (): Promise<void> {
    return this.gate.promise
  }

  /** Finishes the write in flight and stops; what is not written yet waits in releases.db. */
  async stop (): Promise<void> {
    this.stopping = true
    this.gate.reject(new TsudoiError('STORE_UNAVAILABLE', 'stopped before the releases in InfluxDB were restored'))
    const sleeping = this.sleeping
    this.sleeping = undefined
    if (sleeping !== undefined) { clearTimeout(sleeping.timer); sleeping.done() }
    this.wake()
    await this.running
  }

  /** Resolves once every released bucket is in InfluxDB. */
  drained (): Promise<void> {
    return new Promise((resolve) => { this.drainedWaiters.push(resolve); this.wake() })
  }

  status (): ReleaseArchiveStatus {
    return { ...this.stats, unarchived: this.options.releases.unarchivedCount() }
  }

  private wake (): void {
    const wake = this.wakeUp
    this.wakeUp = undefined
    wake?.()
  }

  private async loop (): Promise<void> {
    const { releases, log } = this.options
    let failures = 0
    while (!this.stopping) {
      try {
        if (this.stats.restored === undefined) {
          await this.connect()
          this.stats.restored = await restoreReleases(this.http, releases, log)
          log?.info(this.stats.restored, 'releases in InfluxDB restored into releases.db')
          this.gate.resolve()
        }
        const wrote = await this.writeRound()
        failures = 0
        if (!wrote) {
          for (const resolve of this.drainedWaiters.splice(0)) resolve()
          if (!this.stopping) await new Promise<void>((resolve) => { this.wakeUp = resolve })
        }
      } catch (error) {
        this.stats.failures++
        this.stats.lastError = (error as Error).message
        const delay = this.backoff(++failures, error)
        log?.warn({ err: error, failures, delayMs: delay, unarchived: releases.unarchivedCount() },
          this.stats.restored === undefined ? 'could not restore the releases from InfluxDB; the releaser waits' : 'could not write releases to InfluxDB; retrying')
        await this.sleep(delay)
      }
    }
  }

  /** Pings, learns the API family, and on 1.x creates the database, as the reading store does (store.ts). */
  private async connect (): Promise<InfluxWriter> {
    if (this.writer !== undefined) return this.writer
    const { flavor } = await this.http.ping()
    if (flavor === 'v1') {
      try {
        await this.http.createDatabase()
      } catch (error) {
        if (error instanceof TsudoiError) throw error
        this.options.log?.warn({ err: error }, 'could not create the InfluxDB database; assuming it exists')
      }
    }
    this.writer = new InfluxWriter(this.options.influx, writePath(flavor, this.options.influx))
    return this.writer
  }

  /** Writes up to a round of unarchived buckets; false when there were none. */
  private async writeRound (): Promise<boolean> {
    const { releases } = this.options
    const keys = releases.unarchived(ROUND_BUCKETS)
    if (keys.length === 0) return false
    // Whole buckets per request (each bucket's points are written together, release-points.ts).
    let batch: Array<{ key: BucketKey, points: Point[] }> = []
    let size = 0
    for (const key of keys) {
      if (this.stopping) return true
      const bucket = releases.storedBucket(key)
      const points = bucket === undefined ? [] : bucketPoints(bucket)
      if (size + points.length > MAX_WRITE_BATCH && batch.length > 0) {
        await this.writeBatch(batch)
        batch = []
        size = 0
      }
      batch.push({ key, points })
      size += points.length
    }
    await this.writeBatch(batch)
    return true
  }

  /** Writes some buckets; when InfluxDB refuses the data itself, one by one, and logs and skips a refused bucket. */
  private async writeBatch (batch: ReadonlyArray<{ key: BucketKey, points: Point[] }>): Promise<void> {
    const writer = await this.connect()
    try {
      await writer.writePoints(batch.flatMap((entry) => entry.points))
    } catch (error) {
      // 1.x answers 404 when the database is gone: connect again, which creates it.
      if (error instanceof InfluxWriteError && error.status === 404) this.writer = undefined
      if (!isRefusedByServer(error)) throw error
      if (batch.length > 1) {
        for (const entry of batch) await this.writeBatch([entry])
        return
      }
      this.stats.refused++
      this.options.log?.error({ ...batch[0]!.key, status: error.status, message: error.serverMessage },
        'InfluxDB refused a release bucket; it stays in releases.db only')
    }
    this.options.releases.markArchived(batch.map((entry) => entry.key))
    this.stats.written += batch.length
  }

  /** As the readings drainer's (queue/drainer.ts): exponential with a cap, jittered, never sooner than Retry-After. */
  private backoff (failures: number, error: unknown): number {
    const { minRetryMs = 500, maxRetryMs = 30_000, maxRetryAfterMs = 300_000, random = Math.random } = this.options
    const ceiling = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(failures - 1, 30))
    const jittered = Math.max(1, Math.round(ceiling * (0.5 + random() / 2)))
    const asked = error instanceof InfluxWriteError ? error.retryAfterMs : undefined
    return asked === undefined ? jittered : Math.max(jittered, Math.min(asked, maxRetryAfterMs))
  }

  private async sleep (ms: number): Promise<void> {
    if (this.stopping) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.sleeping = undefined; resolve() }, ms)
      this.sleeping = { timer, done: resolve }
    })
  }
}

interface Deferred { promise: Promise<void>, resolve: () => void, reject: (error: Error) => void, settled: boolean }

/** A promise settled from outside, once; its rejection is never unhandled (no pass may be waiting). */
function deferred (): Deferred {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  promise.catch(() => {})
  const gate: Deferred = {
    promise,
    settled: false,
    resolve: () => { gate.settled = true; resolve() },
    reject: (error) => { gate.settled = true; reject(error) }
  }
  return gate
}
