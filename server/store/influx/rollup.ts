import { metricSpec } from '../../domain/metric-catalog.ts'
import type { Log } from '../../log.ts'
import { floorTo } from '../buckets.ts'
import { rowsOf, type InfluxHttp } from './http.ts'
import { rollupPoints } from './rollup-points.ts'
import { HOUR_MS, hourCountsQuery, newestRawBeforeQuery } from './rollup-queries.ts'
import type { InfluxWriter } from './writer.ts'
import type { MemberBucketQuery } from '../reading-store.ts'
import type { Reading } from '../../domain/reading.ts'

const DAY_MS = 24 * HOUR_MS

export interface RollupOptions {
  /** false: no `reading_1h` is written and every query reads raw readings. Default true. */
  enabled?: boolean
  /** How often the background loop recomputes dirty hours; 0 = no loop, work runs on settle(). Default 5 s. */
  intervalMs?: number
  /** Reconciliation walks back this much per step. Default 7 days. */
  chunkMs?: number
  /**
   * How far back from the hour of open() reconciliation may walk. Windows starting before what
   * it verified are answered from raw readings (slower, never wrong). Default 366 days.
   */
  maxLookbackMs?: number
  /** Most consecutive hours recomputed by one query. Default 24. */
  hoursPerQuery?: number
  now?: () => number
}

export interface RollupStatus {
  enabled: boolean
  /** The walk back over existing data (started by open()) has not finished. */
  reconciling: boolean
  /** Hours from here on are checked against the raw readings; undefined before open(). */
  verifiedFrom: number | undefined
  /** The walk found no readings older than verifiedFrom: the whole history is covered. */
  complete: boolean
  /** The rollup answers [verifiedFrom (or −∞ when complete), trustedEnd); undefined when it answers nothing. */
  trustedEnd: number | undefined
  /** Past hours written since their last recompute. (The current hour is recomputed once it is over.) */
  dirtyHours: number
  /** Hours recomputed since start. */
  recomputedHours: number
  /** End (epoch ms) and duration of the last pass of the loop or settle(). */
  lastRunAt: number | undefined
  lastRunMs: number | undefined
  lastError: string | undefined
  /** memberBuckets calls answered with the rollup's help, and entirely from raw readings. */
  answered: { rollup: number, raw: number }
}

export interface RollupBackend { http: InfluxHttp, writer: InfluxWriter }

/**
 * Keeps `reading_1h` — per series and hour: sum, count, min, max, and for the catalog's counters
 * first, last and inc — and `reading_member_1h` — per member, metric and hour: the mean of its
 * devices' means (rollup-points.ts) — computed by the hub itself with InfluxQL reads and ordinary writes, so it works on 1.x, 2.x and 3.x
 * (no continuous queries, no SELECT … INTO, no Flux). Recomputing an hour rewrites its points
 * (same series and timestamp), so it is idempotent.
 *
 * What is trusted needs no state of its own on disk:
 * - append() marks the hours it writes dirty, in memory; the loop recomputes them.
 * - start() walks back from the current hour in chunks, compares each hour's raw count with the
 *   rollup's sum(count) and recomputes the hours that differ. That covers a crash (dirty hours
 *   lost), another writer, and a bulk load made while the hub was not running. An hour whose
 *   values changed but not its count (a point overwritten with another value by someone else)
 *   is not noticed.
 * - The rollup answers [verifiedFrom, trustedEnd), trustedEnd = min(current hour, first dirty hour);
 *   a query's window is cut at the first dirty hour inside it (split()), raw readings answer the rest.
 */
export class InfluxRollups {
  private readonly enabled: boolean
  private readonly intervalMs: number
  private readonly chunkMs: number
  private readonly maxLookbackMs: number
  private readonly hoursPerQuery: number
  private readonly now: () => number
  /** hour → generation of its last mark; a recompute clears an hour only if no mark came since it began. */
  private readonly dirty = new Map<number, number>()
  private generation = 0
  private started = false
  private walk: { next: number, bound: number } | undefined
  private verifiedFrom: number | undefined
  private complete = false
  private timer: NodeJS.Timeout | undefined
  /** Recomputes, and deleteMember, run one at a time: a recompute that read a member's readings must not write after they were dropped. */
  private lock: Promise<unknown> = Promise.resolve()
  /** Passes (loop ticks, settle()) run one at a time. */
  private passes: Promise<unknown> = Promise.resolve()
  private readonly stats = { recomputedHours: 0, lastRunAt: undefined as number | undefined, lastRunMs: undefined as number | undefined, lastError: undefined as string | undefined, rollup: 0, raw: 0 }

  constructor (private readonly backend: () => Promise<RollupBackend>, options: RollupOptions = {}, private readonly log?: Log) {
    this.enabled = options.enabled ?? true
    this.intervalMs = options.intervalMs ?? 5000
    this.chunkMs = options.chunkMs ?? 7 * DAY_MS
    this.maxLookbackMs = options.maxLookbackMs ?? 366 * DAY_MS
    this.hoursPerQuery = options.hoursPerQuery ?? 24
    this.now = options.now ?? Date.now
  }

  /** Begins reconciliation and the loop (in the background; settle() when intervalMs is 0). */
  start (): void {
    if (!this.enabled || this.started) return
    this.started = true
    const hour = floorTo(this.now(), HOUR_MS)
    this.verifiedFrom = hour
    this.complete = false
    this.walk = { next: hour, bound: hour - this.maxLookbackMs }
    // The current hour may hold readings nobody marked (the run before a crash, another writer).
    this.mark([hour])
    this.schedule(0)
  }

  /** Stops the loop and waits for work in flight. Dirty hours are not flushed: the next start() reconciles them. */
  async stop (): Promise<void> {
    this.started = false
    clearTimeout(this.timer)
    this.timer = undefined
    await this.passes
    await this.lock
  }

  hoursOf (readings: readonly Reading[]): number[] {
    const hours = new Set<number>()
    for (const reading of readings) hours.add(floorTo(reading.time, HOUR_MS))
    return [...hours]
  }

  mark (hours: readonly number[]): void {
    if (!this.enabled) return
    for (const hour of hours) this.dirty.set(hour, ++this.generation)
  }

  /** Where the rollup answers a query's window [from, to) of whole buckets: up to the returned time; undefined = raw only. */
  split (query: MemberBucketQuery, window: { from: number, to: number }): number | undefined {
    if (query.bucketMs % HOUR_MS !== 0) return undefined
    // Increases are kept for the catalog's counters only (as in the embedded store).
    if (query.kind === 'counter' && metricSpec(query.metric).kind !== 'counter') return undefined
    if (!this.enabled || this.verifiedFrom === undefined) return undefined
    if (!this.complete && window.from < this.verifiedFrom) return undefined
    // Only dirty hours inside the window matter: one before it (an old reading arriving late)
    // does not send this window to the raw readings.
    let split = Math.min(window.to, floorTo(this.now(), HOUR_MS))
    for (const hour of this.dirty.keys()) if (hour >= window.from && hour < split) split = hour
    return split > window.from ? split : undefined
  }

  answered (path: 'rollup' | 'raw'): void { this.stats[path]++ }

  /** Runs `work` with no recompute in flight (deleteMember). */
  exclusive<T> (work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work)
    this.lock = run.catch(() => {})
    return run
  }

  /** Runs everything pending now: dirty hours and the rest of the reconciliation. Rejects with the first error. */
  settle (): Promise<void> { return this.pass(true) }

  status (): RollupStatus {
    const trusted = this.trusted()
    return {
      enabled: this.enabled,
      reconciling: this.walk !== undefined,
      verifiedFrom: this.verifiedFrom,
      complete: this.complete,
      trustedEnd: trusted?.to,
      dirtyHours: [...this.dirty.keys()].filter((hour) => hour < floorTo(this.now(), HOUR_MS)).length,
      recomputedHours: this.stats.recomputedHours,
      lastRunAt: this.stats.lastRunAt,
      lastRunMs: this.stats.lastRunMs,
      lastError: this.stats.lastError,
      answered: { rollup: this.stats.rollup, raw: this.stats.raw }
    }
  }

  private trusted (): { from: number, to: number } | undefined {
    if (!this.enabled || this.verifiedFrom === undefined) return undefined
    const from = this.complete ? Number.NEGATIVE_INFINITY : this.verifiedFrom
    let to = floorTo(this.now(), HOUR_MS)
    for (const hour of this.dirty.keys()) if (hour >= from && hour < to) to = hour
    return to > from ? { from, to } : undefined
  }

  private schedule (delayMs: number): void {
    if (!this.started || this.intervalMs <= 0) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.tick() }, delayMs)
    this.timer.unref()
  }

  private async tick (): Promise<void> {
    this.timer = undefined
    let failed = false
    try {
      await this.pass(false)
    } catch (error) {
      failed = true
      // Once per outage, not every interval (InfluxDB down is already logged by the queue).
      if (this.stats.lastError === undefined || this.stats.lastError !== (error as Error).message) {
        this.log?.warn({ err: error }, 'hourly rollup: pass failed; retrying')
      }
      this.stats.lastError = (error as Error).message
    }
    // While the walk goes on, the next step follows at once.
    this.schedule(this.walk !== undefined && !failed ? 0 : this.intervalMs)
  }

  /** Dirty hours, then one reconciliation step (or all of them); one pass at a time. */
  private pass (all: boolean): Promise<void> {
    const run = this.passes.then(async () => {
      const started = performance.now()
      await this.recomputeDirty()
      while (this.walk !== undefined) {
        await this.reconcileStep(this.walk)
        if (!all) break
      }
      if (all) await this.recomputeDirty()
      this.stats.lastRunAt = this.now()
      this.stats.lastRunMs = performance.now() - started
      this.stats.lastError = undefined
    })
    this.passes = run.catch(() => {})
    return run
  }

  /**
   * Past hours only: the current hour is never answered from the rollup, and recomputing it on
   * every tick while readings stream in would cost InfluxDB a block scan each time.
   */
  private async recomputeDirty (): Promise<void> {
    const current = floorTo(this.now(), HOUR_MS)
    const marked = [...this.dirty.entries()].filter(([hour]) => hour < current).sort((a, b) => a[0] - b[0])
    for (const run of this.runsOf(marked.map(([hour]) => hour))) {
      await this.recompute(run.from, run.to)
      for (const [hour, generation] of marked) {
        if (hour >= run.from && hour < run.to && this.dirty.get(hour) === generation) this.dirty.delete(hour)
      }
    }
  }

  /** Sorted hours as runs of consecutive hours, each at most hoursPerQuery long. */
  private runsOf (hours: readonly number[]): Array<{ from: number, to: number }> {
    const runs: Array<{ from: number, to: number }> = []
    for (const hour of hours) {
      const last = runs.at(-1)
      if (last !== undefined && last.to === hour && last.to - last.from < this.hoursPerQuery * HOUR_MS) last.to += HOUR_MS
      else runs.push({ from: hour, to: hour + HOUR_MS })
    }
    return runs
  }

  /**
   * One chunk further back. The newest reading before the chunk's end is looked up first, so a
   * gap without readings (the hub switched off for a month) is crossed in one step, and the walk
   * ends where no older reading exists.
   */
  private async reconcileStep (walk: { next: number, bound: number }): Promise<void> {
    const { http } = await this.backend()
    const newest = rowsOf((await http.query(newestRawBeforeQuery(walk.next)))[0])[0]
    if (newest === undefined) {
      this.complete = true
      this.walk = undefined
      this.log?.info({ verifiedFrom: this.verifiedFrom }, 'hourly rollup reconciled with every reading')
      return
    }
    const end = floorTo(Number(newest.time), HOUR_MS) + HOUR_MS
    // The hours in between hold no readings.
    this.verifiedFrom = Math.min(this.verifiedFrom ?? end, end)
    if (end <= walk.bound) {
      this.walk = undefined
      this.log?.info({ verifiedFrom: this.verifiedFrom, olderReadingAt: Number(newest.time) }, 'hourly rollup reconciled up to the look-back bound; older windows are read raw')
      return
    }
    const start = Math.max(end - this.chunkMs, walk.bound)
    const [raw, rolled, deviceHours, memberDevices] = (await http.query(hourCountsQuery(start, end))).map((result) =>
      new Map(rowsOf(result).map((row) => [Number(row.time), Number(row.n)])))
    const read = raw!
    const counted = rolled!
    const stale = [...read].filter(([hour, n]) => counted.get(hour) !== n || deviceHours!.get(hour) !== memberDevices!.get(hour)).map(([hour]) => hour)
    const orphans = [...counted.keys()].filter((hour) => !read.has(hour))
    if (orphans.length > 0) {
      // Only readings deleted behind the hub's back (deleteMember drops both measurements).
      this.log?.warn({ hours: orphans.map((hour) => new Date(hour).toISOString()) }, 'hourly rollup has hours whose readings are gone; drop them from reading_1h by hand')
    }
    for (const run of this.runsOf(stale.sort((a, b) => a - b))) await this.recompute(run.from, run.to)
    this.verifiedFrom = Math.min(this.verifiedFrom, start)
    walk.next = start
  }

  /** Recomputes the hours [from, to) and writes one point per series and hour. */
  private recompute (from: number, to: number): Promise<void> {
    return this.exclusive(async () => {
      const { http, writer } = await this.backend()
      await writer.writePoints(await rollupPoints(http, from, to))
      this.stats.recomputedHours += (to - from) / HOUR_MS
    })
  }
}
