import { type MetricKind, metricSpec } from '../domain/metric-catalog.ts'
import type { Member } from '../registry/registry.ts'
import type { Sector } from '../domain/sectors.ts'
import type { MemberBucketValue, ReadingStore } from '../store/reading-store.ts'
import type { ReleaseStore } from '../store/release-store.ts'
import { parse } from '../validation.ts'
import { assertK } from './bucket-stats.ts'
import { type CallerBucket, type CallerView, callerView } from './caller-view.ts'
import { type CommunityOverview, communityOverview } from './community.ts'
import { type CompareRequest, MAX_BUCKETS, compareRequestSchema } from './compare-request.ts'
import { type Per, divisorsFor } from './normalize.ts'
import { type OpenData, toOpenData } from './open-data.ts'
import { NO_PER, cohortOf } from './release/cohort-families.ts'
import { gridValues } from './release/grid-values.ts'
import { type GridSize, GRID_MS, bucketsIn, gridSizeOf, nextBucket } from './release/local-grid.ts'
import { isSuppressedRelease } from '../domain/release.ts'
import { TtlCache } from './ttl-cache.ts'
import { type CompareBucket, isPending } from './compare-bucket.ts'

// Serves comparisons from the stored releases (releaser.ts makes them): nothing the
// community sees is computed from readings at request time. Only the caller's own line is
// read from the store, and it is its own data. Who the caller is (workshop, consent,
// normalisation figures) is read from the registry on every call.

export interface CompareServiceOptions {
  store: Pick<ReadingStore, 'memberBuckets'>
  releases: Pick<ReleaseStore, 'releases' | 'latestShown'>
  members: () => Member[]
  k: number
  /** TSUDOI_PRIVACY_P, shown with the results. */
  privacyP: number
  timeZone: string
  graceMs: number
  clock: () => number
  /** How long a store answer for a caller's own line is reused; default 5 s. */
  cacheTtlMs?: number
}

export interface CompareResult {
  metric: string
  unit: string
  kind: MetricKind
  sector: Sector | null
  k: number
  /** The protection level p, %. */
  p: number
  /** bucket size, ms (nominal: a local day across a DST change is 23 or 25 h) */
  bucket: number
  timeZone: string
  per: Per | null
  buckets: CompareBucket[]
  me?: CallerView
}

export type OpenDataRequest = Omit<CompareRequest, 'caller' | 'per'>

/** "Comparable" pairs are those with a shown hourly release in the last 7 days. */
export const PRESENCE_WINDOW_MS = 7 * 86_400_000
const DEFAULT_TTL_MS = 5000
const HOUR = 3_600_000

export class CompareService {
  private readonly own: TtlCache<MemberBucketValue[]>

  constructor (private readonly options: CompareServiceOptions) {
    assertK(options.k)
    this.own = new TtlCache(options.cacheTtlMs ?? DEFAULT_TTL_MS, options.clock)
  }

  async compare (request: CompareRequest): Promise<CompareResult> {
    const { metric, sector, from, to, bucketMs, per, caller } = parse(compareRequestSchema, request)
    const { unit, kind } = metricSpec(metric)
    const size = gridSizeOf(bucketMs) as GridSize
    const { timeZone, graceMs, clock } = this.options
    const times = bucketsIn(from, to, size, timeZone, MAX_BUCKETS)
    const end = nextBucket(times[times.length - 1]!, size, timeZone)
    const members = this.options.members()
    const callerMember = caller === undefined ? undefined : members.find((member) => member.id === caller)
    const released = this.options.releases.releases({ series: metric, size, per: per ?? NO_PER, cohort: cohortOf(callerMember, sector), from: times[0]!, to: end })
    const now = clock()
    const buckets = times.map((time): CompareBucket => released.get(time) ??
      (nextBucket(time, size, timeZone) + graceMs > now ? { time, pending: true } : { time, suppressed: true }))
    const result: CompareResult = {
      metric, unit, kind, sector: sector ?? null, k: this.options.k, p: this.options.privacyP, bucket: GRID_MS[size], timeZone, per: per ?? null, buckets
    }
    // Its own line beside its own sector (or all sectors) only, as it is counted in them.
    if (callerMember === undefined || (sector !== undefined && callerMember.sector !== sector)) return result
    const me = await this.callerLine(callerMember, { metric, kind, size, per, from: times[0]!, to: end }, buckets)
    return me === undefined ? result : { ...result, me }
  }

  /** The caller's own values on the grid (normalised like the release), each beside the release it is compared with. */
  private async callerLine (caller: Member, query: { metric: string, kind: MetricKind, size: GridSize, per: Per | undefined, from: number, to: number }, buckets: readonly CompareBucket[]): Promise<CallerView | undefined> {
    const divisor = query.per === undefined ? 1 : divisorsFor([caller], query.per).get(caller.id)
    if (divisor === undefined) return undefined
    const hourFrom = Math.floor(query.from / HOUR) * HOUR
    const key = JSON.stringify([query.metric, caller.sector, hourFrom, query.to])
    const hourly = await this.own.get(key, () =>
      this.options.store.memberBuckets({ metric: query.metric, sector: caller.sector, from: hourFrom, to: query.to, bucketMs: HOUR, kind: query.kind }))
    const values = gridValues(hourly.filter((row) => row.member === caller.id), query.size, this.options.timeZone, query.kind)
    const mine: CallerBucket[] = []
    for (const bucket of buckets) {
      const value = values.get(bucket.time)?.get(caller.id)
      if (value === undefined) continue
      const shown = !isPending(bucket) && !isSuppressedRelease(bucket) ? bucket : undefined
      mine.push({ time: bucket.time, value: value / divisor, ...(shown === undefined ? {} : { release: shown }) })
    }
    return mine.length === 0 ? undefined : callerView(mine)
  }

  async community (): Promise<CommunityOverview> {
    const since = this.options.clock() - PRESENCE_WINDOW_MS
    return communityOverview(this.options.members(), this.options.releases.latestShown('1h', NO_PER, since), this.options.k)
  }

  /** The community's releases for export: never a caller, never normalised, released buckets only. */
  async openData (request: OpenDataRequest): Promise<OpenData> {
    const { metric, sector, from, to, bucketMs } = request
    return toOpenData(await this.compare({ metric, sector, from, to, bucketMs }))
  }
}
