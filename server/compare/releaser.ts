import { metricSpec } from '../domain/metric-catalog.ts'
import type { Log } from '../log.ts'
import type { Member } from '../registry/registry.ts'
import type { ReadingStore } from '../store/reading-store.ts'
import type { ReleaseRow, ReleaseStore } from '../store/release-store.ts'
import { cohortFamilies } from './release/cohort-families.ts'
import { gridValues } from './release/grid-values.ts'
import { GRID_SIZES, nextBucket } from './release/local-grid.ts'
import type { ReleaseParams } from './release/release-cell.ts'
import { releaseFamily } from './release/secondary-suppression.ts'

// Makes the releases (docs/privacy.md): every interval, for each metric with readings in
// the lookback, each bucket of the grid that has contributors and no release yet is released
// once it has closed and the grace period has passed — after its end, or after its first
// contribution was seen when that came later (history loaded into an old bucket). A
// released bucket is never looked at again.

const HOUR = 3_600_000
/** Two weeks and a day: a whole local week plus the one being filled, whatever the weekday. */
export const RELEASE_LOOKBACK_MS = 15 * 24 * HOUR
const DEFAULT_INTERVAL_MS = 60_000

export interface ReleaserOptions {
  store: Pick<ReadingStore, 'memberBuckets' | 'presence'>
  releases: ReleaseStore
  members: () => Member[]
  /** Read when a run starts: the secret lives in the registry, opened at start. */
  params: () => ReleaseParams
  timeZone: string
  graceMs: number
  clock: () => number
  log?: Log
  intervalMs?: number
  /** Awaited before each pass: in InfluxDB mode, until the archived releases are restored (store/influx/release-archive.ts). */
  ready?: () => Promise<void>
}

export class Releaser {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined

  constructor (private readonly options: ReleaserOptions) {}

  start (): void {
    const run = (): void => { this.runOnce().catch((error: unknown) => this.options.log?.error({ err: error }, 'release run failed')) }
    this.timer = setInterval(run, this.options.intervalMs ?? DEFAULT_INTERVAL_MS)
    this.timer.unref()
    run()
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running?.catch(() => {})
  }

  /** One pass; a call while a pass runs waits for that pass and then makes its own. Resolves to the buckets released. */
  async runOnce (): Promise<number> {
    while (this.running !== undefined) await this.running.catch(() => {})
    const run = this.pass()
    this.running = run
    try {
      return await run
    } finally {
      if (this.running === run) this.running = undefined
    }
  }

  private async pass (): Promise<number> {
    const { store, releases, timeZone, graceMs, clock } = this.options
    await this.options.ready?.()
    const now = clock()
    const from = Math.floor((now - RELEASE_LOOKBACK_MS) / HOUR) * HOUR
    const to = Math.floor(now / HOUR) * HOUR + HOUR
    const metrics = [...new Set((await store.presence(from)).map((row) => row.metric))].sort()
    const params = this.options.params()
    // Every factor follows from the secret: releases made without it would be open to anyone.
    if (params.secret === '') throw new Error('no privacy secret: the releaser runs only in a started hub')
    releases.forgetPendingBefore(from)
    let released = 0
    for (const metric of metrics) {
      const kind = metricSpec(metric).kind
      const hourly = await store.memberBuckets({ metric, from, to, bucketMs: HOUR, kind })
      const members = this.options.members()
      for (const size of GRID_SIZES) {
        const done = releases.releasedTimes(metric, size, from, to)
        const pending = releases.pending(metric, size)
        for (const [time, values] of gridValues(hourly, size, timeZone, kind)) {
          // A bucket that began before the lookback is only partly in `hourly`: not ours to release.
          if (time < from || done.has(time)) continue
          let firstSeen = pending.get(time)
          if (firstSeen === undefined) {
            firstSeen = now
            releases.markPending(metric, size, time, now)
          }
          if (now < Math.max(nextBucket(time, size, timeZone), firstSeen) + graceMs) continue
          const rows: ReleaseRow[] = []
          for (const { per, family } of cohortFamilies(values, members)) {
            for (const [cohort, release] of releaseFamily({ series: metric, size, time }, family, params)) rows.push({ cohort, per, release })
          }
          releases.save(metric, size, time, now, rows)
          released++
          // A backfilled fortnight is hundreds of buckets: let the broker and HTTP run between them.
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
      }
    }
    return released
  }
}
