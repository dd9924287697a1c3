import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { HOUR_MS } from '../../server/store/influx/rollup-queries.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import type { MemberBucketQuery, MemberBucketValue } from '../../server/store/reading-store.ts'
import { startInfluxStub, type InfluxStub } from '../helpers/influx-stub.ts'
import { T0, reading } from './reading-store.contract.ts'

// The hourly rollup (influx-rollup*.ts) against InfluxDB 2.x and 3.x — here the stub of
// test/helpers/influx-stub.ts, since neither server can be installed on this machine (1.x runs
// the same path for real in influx-rollup.test.ts). The stub keeps the points the hub writes and
// evaluates the InfluxQL it sends, so this checks the hub's half: the queries it asks, the
// reading_1h / reading_member_1h points it writes through /api/v2/write, and the comparison
// values it reads back.

const TOKEN = 'hub-token'
const NOW = T0 + 3 * HOUR_MS + 20 * 60_000
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup() })

async function queued (url: string, rollups: boolean): Promise<QueuedReadingStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-stub-rollup-'))
  cleanups.push(() => { rmSync(dir, { recursive: true, force: true }) })
  const store = new QueuedReadingStore({
    dir,
    influx: new InfluxReadingStore({ url, database: 'tsudoi', token: TOKEN, rollups: rollups ? { intervalMs: 0, now: () => NOW } : { enabled: false } }),
    maxBytes: 1024 * 1024,
    synchronous: 'normal'
  })
  await store.open()
  cleanups.push(async () => { await store.close() })
  return store
}

const minute = 60_000
// ryokan-a has two devices, ryokan-b one; whole numbers keep every mean exact.
const batch = [
  reading('ryokan-a', 'a1', 'temperature', T0, 20), reading('ryokan-a', 'a1', 'temperature', T0 + 30 * minute, 22),
  reading('ryokan-a', 'a2', 'temperature', T0 + 10 * minute, 18),
  reading('ryokan-b', 'b1', 'temperature', T0 + 5 * minute, 15),
  reading('ryokan-a', 'a1', 'temperature', T0 + 75 * minute, 30),
  reading('ryokan-a', 'a2', 'temperature', T0 + 80 * minute, 26), reading('ryokan-a', 'a2', 'temperature', T0 + 100 * minute, 28),
  reading('ryokan-b', 'b1', 'temperature', T0 + 65 * minute, 17),
  // The current hour: read raw, never rolled up.
  reading('ryokan-b', 'b1', 'temperature', T0 + 3 * HOUR_MS + minute, 40)
]

const byTimeAndMember = (values: MemberBucketValue[]): MemberBucketValue[] =>
  [...values].sort((a, b) => a.time - b.time || (a.member < b.member ? -1 : 1))

describe.each(['v2', 'v3'] as const)('the hourly rollup through InfluxDB %s (stub)', (flavor) => {
  it('writes reading_1h and reading_member_1h through the write API, and a comparison reads them back', async () => {
    const influx = await startInfluxStub({ flavor, tokens: { [TOKEN]: { write: true } }, buckets: ['tsudoi'] })
    cleanups.push(async () => { await influx.stop() })
    const store = await queued(influx.url, true)
    await store.append(batch)
    await store.drained()
    await store.rollups.settle()

    const tags = (member: string, device: string): Record<string, string> => ({ member, device, sector: 'accommodation', metric: 'temperature' })
    expect(influx.measurement('reading_1h').map(({ tags, fields, time }) => ({ tags, fields, time }))).toEqual([
      { time: T0, tags: tags('ryokan-a', 'a1'), fields: { sum: 42, count: 2, min: 20, max: 22 } },
      { time: T0, tags: tags('ryokan-a', 'a2'), fields: { sum: 18, count: 1, min: 18, max: 18 } },
      { time: T0, tags: tags('ryokan-b', 'b1'), fields: { sum: 15, count: 1, min: 15, max: 15 } },
      { time: T0 + HOUR_MS, tags: tags('ryokan-a', 'a1'), fields: { sum: 30, count: 1, min: 30, max: 30 } },
      { time: T0 + HOUR_MS, tags: tags('ryokan-a', 'a2'), fields: { sum: 54, count: 2, min: 26, max: 28 } },
      { time: T0 + HOUR_MS, tags: tags('ryokan-b', 'b1'), fields: { sum: 17, count: 1, min: 17, max: 17 } }
    ])
    const member = (name: string): Record<string, string> => ({ member: name, sector: 'accommodation', metric: 'temperature' })
    expect(influx.measurement('reading_member_1h').map(({ tags, fields, time }) => ({ tags, fields, time }))).toEqual([
      { time: T0, tags: member('ryokan-a'), fields: { mean: 19.5, devices: 2 } },
      { time: T0, tags: member('ryokan-b'), fields: { mean: 15, devices: 1 } },
      { time: T0 + HOUR_MS, tags: member('ryokan-a'), fields: { mean: 28.5, devices: 2 } },
      { time: T0 + HOUR_MS, tags: member('ryokan-b'), fields: { mean: 17, devices: 1 } }
    ])
    // Every rollup write went where readings go, with the token.
    expect(influx.to('/api/v2/write').every((request) => request.status === 204 && request.authorization === `Token ${TOKEN}` && request.params.bucket === 'tsudoi')).toBe(true)
    expect(store.rollups.status()).toMatchObject({ complete: true, dirtyHours: 0, recomputedHours: 2, lastError: undefined })

    // A 1 h comparison over the two past hours comes from reading_member_1h alone.
    const hourly: MemberBucketQuery = { metric: 'temperature', from: T0, to: T0 + 2 * HOUR_MS, bucketMs: HOUR_MS, kind: 'gauge' }
    const queriesBefore = influx.to('/query').length
    expect(byTimeAndMember(await store.memberBuckets(hourly))).toEqual([
      { time: T0, member: 'ryokan-a', value: 19.5 }, { time: T0, member: 'ryokan-b', value: 15 },
      { time: T0 + HOUR_MS, member: 'ryokan-a', value: 28.5 }, { time: T0 + HOUR_MS, member: 'ryokan-b', value: 17 }
    ])
    expect(store.rollups.status().answered).toEqual({ rollup: 1, raw: 0 })
    expect(influx.to('/query').slice(queriesBefore).map((request) => request.params.q!.replace(/time >= \d+ms AND time < \d+ms/, 'time in …'))).toEqual([
      'SELECT "mean", "devices" FROM "reading_member_1h" WHERE "metric" = \'temperature\' AND time in … GROUP BY "member"',
      'SELECT "mean", "devices" FROM "reading_member_1h" WHERE "metric" = \'temperature\' AND time in … GROUP BY "member"'
    ])

    // A 1 d comparison: the rolled-up hours plus the current hour read raw, as the raw path answers it.
    const daily: MemberBucketQuery = { metric: 'temperature', from: T0, to: NOW, bucketMs: 24 * HOUR_MS, kind: 'gauge' }
    const fromRollup = await store.memberBuckets(daily)
    const day = Math.floor(T0 / (24 * HOUR_MS)) * 24 * HOUR_MS
    // ryokan-a: devices a1 (20, 22, 30) and a2 (18, 26, 28) both average 24; ryokan-b: (15 + 17 + 40) / 3.
    expect(byTimeAndMember(fromRollup)).toEqual([{ time: day, member: 'ryokan-a', value: 24 }, { time: day, member: 'ryokan-b', value: 24 }])
    const raw = await queued(influx.url, false)
    expect(byTimeAndMember(await raw.memberBuckets(daily))).toEqual(byTimeAndMember(fromRollup))
    expect(byTimeAndMember(await raw.memberBuckets(hourly))).toEqual(byTimeAndMember(await store.memberBuckets(hourly)))
  })
})
