import { type MetricKind, metricSpec } from '../ingest/metric-catalog.ts'
import type { Member } from '../registry/registry.ts'
import type { Sector } from '../registry/sectors.ts'
import type { MemberBucketValue, MetricPresence, ReadingStore } from '../store/reading-store.ts'
import { parse } from '../validation.ts'
import { type BucketStats, assertK } from './bucket-stats.ts'
import type { CallerView } from './caller-view.ts'
import { cohortFor } from './cohort.ts'
import { type CommunityOverview, communityOverview } from './community.ts'
import { compareBuckets } from './compare-buckets.ts'
import { type CompareRequest, bucketWindow, compareRequestSchema } from './compare-request.ts'
import { type Per, divisorsFor } from './normalize.ts'
import { type OpenData, toOpenData } from './open-data.ts'
import { TtlCache } from './ttl-cache.ts'

// Fetches per-member aggregates and hands them to the pure engine. Only the store's answer
// is cached; who counts (consent, workshop, normalisation figures) is read from the registry
// on every call, so a withdrawal of consent applies to the very next request.

export interface CompareServiceOptions {
  store: Pick<ReadingStore, 'memberBuckets' | 'presence'>
  members: () => Member[]
  k: number
  clock: () => number
  /** How long a store answer is reused; default 5 s. */
  cacheTtlMs?: number
}

export interface CompareResult {
  metric: string
  unit: string
  kind: MetricKind
  sector: Sector | null
  k: number
  /** bucket size, ms */
  bucket: number
  per: Per | null
  buckets: BucketStats[]
  me?: CallerView
}

export type OpenDataRequest = Omit<CompareRequest, 'caller' | 'per'>

/** "Comparable" pairs are those with members in the last 7 days. */
export const PRESENCE_WINDOW_MS = 7 * 86_400_000
const DEFAULT_TTL_MS = 5000

export class CompareService {
  private readonly aggregates: TtlCache<MemberBucketValue[]>
  private readonly presence: TtlCache<MetricPresence[]>

  constructor (private readonly options: CompareServiceOptions) {
    assertK(options.k)
    this.aggregates = new TtlCache(options.cacheTtlMs ?? DEFAULT_TTL_MS, options.clock)
    this.presence = new TtlCache(options.cacheTtlMs ?? DEFAULT_TTL_MS, options.clock)
  }

  async compare (request: CompareRequest): Promise<CompareResult> {
    const { metric, sector, from, to, bucketMs, per, caller } = parse(compareRequestSchema, request)
    const { unit, kind } = metricSpec(metric)
    const window = bucketWindow(from, to, bucketMs)
    const key = JSON.stringify([metric, sector ?? null, window.from, window.to, bucketMs])
    const values = await this.aggregates.get(key, () =>
      this.options.store.memberBuckets({ metric, sector, from: window.from, to: window.to, bucketMs, kind }))
    const cohort = cohortFor(this.options.members(), caller)
    const comparison = compareBuckets(values, {
      k: this.options.k,
      peers: cohort.peers,
      caller: cohort.caller,
      divisors: per === undefined ? undefined : divisorsFor(cohort.members, per),
      times: window.times
    })
    return { metric, unit, kind, sector: sector ?? null, k: this.options.k, bucket: bucketMs, per: per ?? null, ...comparison }
  }

  async community (): Promise<CommunityOverview> {
    const since = this.options.clock() - PRESENCE_WINDOW_MS
    const presence = await this.presence.get('presence', () => this.options.store.presence(since))
    return communityOverview(this.options.members(), presence, this.options.k)
  }

  /** The anonymous buckets for export: never a caller, never normalised. */
  async openData (request: OpenDataRequest): Promise<OpenData> {
    const { metric, sector, from, to, bucketMs } = request
    return toOpenData(await this.compare({ metric, sector, from, to, bucketMs }))
  }
}
