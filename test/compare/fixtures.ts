import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompareService } from '../../server/compare/compare-service.ts'
import { perturbationParams } from '../../server/compare/release/perturbation.ts'
import type { ReleaseParams } from '../../server/compare/release/release-cell.ts'
import { Releaser } from '../../server/compare/releaser.ts'
import type { Member } from '../../server/registry/registry.ts'
import type { MemberBucketQuery, MemberBucketValue, MetricPresence } from '../../server/store/reading-store.ts'
import { ReleaseStore } from '../../server/store/release-store.ts'

export const HOUR = 3_600_000
/** 2024-01-01T00:00:00Z (a Monday), on every bucket boundary used here. */
export const T0 = Date.UTC(2024, 0, 1)
export const T1 = T0 + HOUR
/** The request most service tests start from: energy in two hourly buckets from T0. */
export const WINDOW = { metric: 'energy', from: T0, to: T0 + 2 * HOUR, bucketMs: HOUR }
export const PARAMS: ReleaseParams = { k: 3, secret: 'test-secret', perturbation: perturbationParams(10) }

export function member (id: string, overrides: Partial<Member> = {}): Member {
  return {
    id, name: `Name of ${id}`, sector: 'restaurant', sharing: true, floorArea: null, seats: null, rooms: null,
    workshop: null, createdAt: 0, ...overrides
  }
}

/** Rows of one bucket from member → value. */
export function rows (time: number, values: Record<string, number>): MemberBucketValue[] {
  return Object.entries(values).map(([id, value]) => ({ time, member: id, value }))
}

/** A store that answers from fixed hourly data (one metric) and records every query. */
export class FakeStore {
  readonly bucketQueries: MemberBucketQuery[] = []
  values: MemberBucketValue[] = []
  metric = 'energy'

  async memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> {
    this.bucketQueries.push(query)
    if (query.metric !== this.metric) return []
    return this.values.filter((row) => row.time >= query.from && row.time < query.to)
  }

  async presence (since: number): Promise<MetricPresence[]> {
    return this.values.some((row) => row.time >= since) ? [{ metric: this.metric, sector: 'restaurant', members: 1 }] : []
  }
}

export function fakeClock (start = T0): { now: () => number, set: (ms: number) => void, advance: (ms: number) => void } {
  let time = start
  return { now: () => time, set: (ms) => { time = ms }, advance: (ms) => { time += ms } }
}

/**
 * A CompareService and its Releaser over a FakeStore, a real ReleaseStore in a temporary
 * file and a fake clock (k = 3, p = 10 %, UTC days, no grace unless asked). `members` is asked
 * on every call, as the registry is, so a test can change who consents between calls.
 */
export function releaseFixture (members: () => Member[], options: { graceMs?: number, timeZone?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-releases-'))
  const releases = new ReleaseStore(join(dir, 'releases.db'))
  releases.open()
  const store = new FakeStore()
  const clock = fakeClock()
  const timeZone = options.timeZone ?? 'UTC'
  const graceMs = options.graceMs ?? 0
  const releaser = new Releaser({ store, releases, members, params: () => PARAMS, timeZone, graceMs, clock: clock.now })
  const service = new CompareService({ store, releases, members, k: 3, privacyP: 10, timeZone, graceMs, clock: clock.now })
  return {
    store, clock, releases, releaser, service,
    close: () => { releases.close(); rmSync(dir, { recursive: true, force: true }) }
  }
}
