import { CompareService } from '../../server/compare/compare-service.ts'
import type { Member } from '../../server/registry/registry.ts'
import type { MemberBucketQuery, MemberBucketValue, MetricPresence } from '../../server/store/reading-store.ts'

export const HOUR = 3_600_000
/** 2024-01-01T00:00:00Z, on every bucket boundary used here. */
export const T0 = Date.UTC(2024, 0, 1)
export const T1 = T0 + HOUR
/** The request most service tests start from: energy in two hourly buckets from T0. */
export const WINDOW = { metric: 'energy', from: T0, to: T0 + 2 * HOUR, bucketMs: HOUR }

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

/** A store that answers from fixed data and records every query. */
export class FakeStore {
  readonly bucketQueries: MemberBucketQuery[] = []
  readonly presenceQueries: number[] = []
  values: MemberBucketValue[] = []
  presenceRows: MetricPresence[] = []
  failNext = false
  /** When set, memberBuckets waits for release() before answering. */
  private gate: Promise<void> | undefined
  private open: (() => void) | undefined

  async memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]> {
    this.bucketQueries.push(query)
    if (this.gate !== undefined) await this.gate
    if (this.failNext) {
      this.failNext = false
      throw new Error('store down')
    }
    return this.values.filter((row) => row.time >= query.from && row.time < query.to)
  }

  async presence (since: number): Promise<MetricPresence[]> {
    this.presenceQueries.push(since)
    return this.presenceRows
  }

  hold (): void {
    this.gate = new Promise((resolve) => { this.open = resolve })
  }

  release (): void {
    this.open?.()
    this.gate = undefined
  }
}

export function fakeClock (start = T0): { now: () => number, advance: (ms: number) => void } {
  let time = start
  return { now: () => time, advance: (ms) => { time += ms } }
}

/**
 * A CompareService (k = 3) over an empty FakeStore and a fake clock. `members` is asked on
 * every call, as the registry is, so a test can change who consents between calls.
 */
export function serviceFixture (members: () => Member[]) {
  const store = new FakeStore()
  const clock = fakeClock()
  const service = new CompareService({ store, members, k: 3, clock: clock.now })
  return { store, clock, service }
}
