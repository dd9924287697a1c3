import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import type { RollupOptions } from '../../server/store/influx/rollup.ts'
import { slicesOf } from '../../server/store/influx/rollup-read.ts'
import type { MemberBucketQuery } from '../../server/store/reading-store.ts'
import type { Reading } from '../../server/domain/reading.ts'
import { influxdAvailable, influxQuery, startInfluxd, type Influxd } from '../helpers/influxd.ts'

// The hourly rollup `reading_1h` against a real influxd: whatever path answers, memberBuckets
// gives the raw path's answer. Values are multiples of 1/4 and members have at most two devices,
// so sums and means are exact in binary floating point and whole results compare with toEqual.

const available = influxdAvailable()
let influxd: Influxd | undefined
let n = 0
const open: InfluxReadingStore[] = []

beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterEach(async () => { await Promise.all(open.splice(0).map((store) => store.close())) })
afterAll(async () => { await influxd?.dispose() })

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 0, 10) // the current hour starts here; the clock reads NOW + 30 min
const clock = (): number => NOW + 30 * MIN

async function storeOn (database: string, rollups: RollupOptions): Promise<InfluxReadingStore> {
  const store = new InfluxReadingStore({ url: influxd!.url, database, rollups })
  open.push(store)
  await store.open()
  return store
}
/** Work runs on settle() only, at a fixed time. */
const manual = (database: string, more: RollupOptions = {}): Promise<InfluxReadingStore> => storeOn(database, { intervalMs: 0, now: clock, ...more })
/** Every query from raw readings. */
const rawOnly = (database: string): Promise<InfluxReadingStore> => storeOn(database, { enabled: false })

const r = (member: string, device: string, metric: string, time: number, value: number, sector = 'accommodation'): Reading =>
  ({ time, member, device, sector, metric, value })

/**
 * Three days up to 25 min into the current hour. Gauges: a (two devices, a2 skips every 4th
 * hour), b (another sector), c (one reading every 2 h). Counters: a1 resets mid-hour, a2 skips
 * hours, b1's first reading ever is 30 h ago, c1 resets on an hour's first reading.
 */
function dataset (): Reading[] {
  const out: Reading[] = []
  let a1 = 1000
  let a2 = 50
  let b1 = 7
  let c1 = 400
  for (let time = NOW - 3 * DAY; time < NOW + 25 * MIN; time += 10 * MIN) {
    const i = (time - (NOW - 3 * DAY)) / (10 * MIN)
    const hour = Math.floor(i / 6)
    out.push(r('a', 'a1', 'temperature', time, 20 + ((i * 7) % 13) * 0.25))
    a1 = i === 200 ? 3 : a1 + (i % 5) + 1
    out.push(r('a', 'a1', 'energy', time, a1))
    if (hour % 4 !== 1) out.push(r('a', 'a2', 'temperature', time, 18 + (i % 11) * 0.75))
    if (hour % 3 !== 2) { a2 += 2; out.push(r('a', 'a2', 'energy', time, a2)) }
    if (i % 3 === 0) out.push(r('b', 'b1', 'temperature', time, 10 + (i % 9) * 0.5, 'retail'))
    if (time >= NOW - 30 * HOUR && i % 2 === 0) { b1 += 1.5; out.push(r('b', 'b1', 'energy', time, b1, 'retail')) }
    if (i % 12 === 0) {
      c1 = hour === 20 ? 1 : c1 + 10
      out.push(r('c', 'c1', 'temperature', time, 5 + hour * 0.25), r('c', 'c1', 'energy', time, c1))
    }
  }
  return out
}

const windows = [
  { name: 'three days into the current hour', from: NOW - 3 * DAY, to: NOW + 30 * MIN },
  { name: 'unaligned, all in the past', from: NOW - 47 * HOUR - 37 * MIN, to: NOW - 5 * HOUR - 12 * MIN },
  { name: 'from mid-stream of b1\'s counter to now', from: NOW - 26 * HOUR + 5 * MIN, to: NOW + 10 * MIN }
]
const queries: MemberBucketQuery[] = windows.flatMap(({ from, to }) => [HOUR, 3 * HOUR, DAY].flatMap((bucketMs) => [
  { metric: 'temperature', kind: 'gauge' as const, from, to, bucketMs },
  { metric: 'energy', kind: 'counter' as const, from, to, bucketMs },
  { metric: 'temperature', kind: 'gauge' as const, from, to, bucketMs, sector: 'accommodation' }
]))

async function expectSameAsRaw (store: InfluxReadingStore, raw: InfluxReadingStore, query: MemberBucketQuery, path: 'rollup' | 'raw'): Promise<void> {
  const before = store.rollups.status().answered[path]
  const expected = await raw.memberBuckets(query)
  expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0)
  expect(await store.memberBuckets(query), JSON.stringify(query)).toEqual(expected)
  expect(store.rollups.status().answered[path], `${JSON.stringify(query)} answered from ${path}`).toBe(before + 1)
}

describe.skipIf(!available)('InfluxDB hourly rollup (reading_1h)', () => {
  it('answers 1 h, 3 h and 24 h buckets of gauges and counters exactly as the raw readings do', async () => {
    const database = `rollup_${++n}`
    const store = await manual(database)
    const raw = await rawOnly(database)
    await store.append(dataset())
    // Nothing recomputed yet: every hour written is dirty, so everything is read raw.
    expect(store.rollups.status()).toMatchObject({ reconciling: true, dirtyHours: 72, trustedEnd: undefined })
    await expectSameAsRaw(store, raw, queries[0]!, 'raw')
    await store.rollups.settle()
    expect(store.rollups.status()).toMatchObject({ reconciling: false, complete: true, dirtyHours: 0, trustedEnd: NOW, recomputedHours: 72, lastError: undefined })
    for (const query of queries) await expectSameAsRaw(store, raw, query, 'rollup')
    // Sub-hour buckets stay on the raw path.
    await expectSameAsRaw(store, raw, { ...queries[1]!, bucketMs: 30 * MIN }, 'raw')
  })

  it('keeps sum, count, min and max for every series and first, last and the hour\'s own increase for counters', async () => {
    const database = `rollup_${++n}`
    const store = await manual(database)
    const hour = NOW - 40 * HOUR
    const readings = [
      r('a', 'a1', 'energy', hour - 5 * MIN, 100),
      r('a', 'a1', 'energy', hour + 10 * MIN, 110),
      r('a', 'a1', 'energy', hour + 20 * MIN, 4), // a restart: +4
      r('a', 'a1', 'energy', hour + 59 * MIN, 6.5),
      r('a', 'a1', 'temperature', hour + MIN, 21.5),
      r('a', 'a1', 'temperature', hour + 2 * MIN, 20)
    ]
    await store.append(readings)
    await store.rollups.settle()
    const rows = await influxQuery(influxd!.url, `SELECT * FROM reading_1h WHERE time = ${hour}ms`, database) as { results: Array<{ series: Array<{ columns: string[], values: unknown[][] }> }> }
    const [series] = rows.results[0]!.series
    const objects = series!.values.map((values) => Object.fromEntries(series!.columns.map((column, i) => [column, values[i]])))
    expect(objects).toEqual([
      // 110 → 4 → 6.5: the restart counts 4, then 2.5; the step from 100 (the hour before) is not this hour's.
      { time: hour, member: 'a', device: 'a1', sector: 'accommodation', metric: 'energy', sum: 120.5, count: 3, min: 4, max: 110, first: 110, last: 6.5, inc: 6.5 },
      { time: hour, member: 'a', device: 'a1', sector: 'accommodation', metric: 'temperature', sum: 41.5, count: 2, min: 20, max: 21.5, first: null, last: null, inc: null }
    ])
  })

  it('reads an hour raw from a late reading until the loop has recomputed it', async () => {
    const database = `rollup_${++n}`
    const store = await storeOn(database, { intervalMs: 20, now: clock })
    const raw = await rawOnly(database)
    await store.append(dataset())
    await vi.waitFor(() => { expect(store.rollups.status()).toMatchObject({ reconciling: false, dirtyHours: 0, trustedEnd: NOW }) }, { timeout: 20_000, interval: 50 })
    const gauge = queries[0]!
    const counter = queries[1]!
    const before = await store.memberBuckets(gauge)
    const late = NOW - 40 * HOUR + 7 * MIN
    await store.append([r('a', 'a1', 'temperature', late, 99), r('a', 'a1', 'energy', late + 30 * 1000, 1)])
    // The window now splits at the late hour: rollup before it, raw readings from it on.
    expect(store.rollups.status().trustedEnd).toBe(NOW - 40 * HOUR)
    await expectSameAsRaw(store, raw, gauge, 'rollup')
    await expectSameAsRaw(store, raw, counter, 'rollup')
    // A window after the late hour still reads the rollup all along.
    await expectSameAsRaw(store, raw, queries[18]!, 'rollup')
    await vi.waitFor(() => { expect(store.rollups.status()).toMatchObject({ dirtyHours: 0, trustedEnd: NOW }) }, { timeout: 20_000, interval: 50 })
    const after = await store.memberBuckets(gauge)
    expect(after).not.toEqual(before)
    await expectSameAsRaw(store, raw, gauge, 'rollup')
    await expectSameAsRaw(store, raw, counter, 'rollup')
  })

  it('a new instance reconciles data written without it, then answers from the rollup', async () => {
    const database = `rollup_${++n}`
    const bulk = await rawOnly(database) // a bulk load before the hub started: no rollup at all
    await bulk.append(dataset())
    const raw = await rawOnly(database)

    const first = await manual(database)
    expect(first.rollups.status()).toMatchObject({ reconciling: true, verifiedFrom: NOW, trustedEnd: undefined })
    await expectSameAsRaw(first, raw, queries[0]!, 'raw')
    await first.rollups.settle()
    expect(first.rollups.status()).toMatchObject({ reconciling: false, complete: true, dirtyHours: 0, trustedEnd: NOW, recomputedHours: 72 })
    for (const query of queries.slice(0, 6)) await expectSameAsRaw(first, raw, query, 'rollup')

    // Another writer adds to one old hour while no hub runs; the next instance finds that hour
    // by its count, and only that hour.
    await bulk.append([r('b', 'b1', 'temperature', NOW - 50 * HOUR + 1000, 2.25, 'retail')])
    const second = await manual(database)
    await second.rollups.settle()
    expect(second.rollups.status()).toMatchObject({ complete: true, recomputedHours: 1 })
    for (const query of queries.slice(0, 6)) await expectSameAsRaw(second, raw, query, 'rollup')
  })

  it('walks back in chunks, crosses a gap in one step and stops at the look-back bound', async () => {
    const database = `rollup_${++n}`
    const bulk = await rawOnly(database)
    const recent = dataset().filter((reading) => reading.time < NOW - DAY)
    const old = [r('a', 'a1', 'temperature', NOW - 20 * DAY + 5 * MIN, 1), r('a', 'a1', 'temperature', NOW - 20 * DAY + 15 * MIN, 2)]
    await bulk.append([...recent, ...old])
    const raw = await rawOnly(database)
    const store = await manual(database, { chunkMs: DAY, maxLookbackMs: 10 * DAY })
    await store.rollups.settle()
    // Readings end at NOW − 1 d, so the chunks are [NOW − 2 d, NOW − 1 d) and [NOW − 3 d, NOW − 2 d);
    // the next reading back is 20 days old, beyond the bound: the rollup vouches for the hours
    // after it (none hold readings) and older windows are read raw.
    expect(store.rollups.status()).toMatchObject({ reconciling: false, complete: false, verifiedFrom: NOW - 20 * DAY + HOUR, trustedEnd: NOW, recomputedHours: 48 })
    await expectSameAsRaw(store, raw, { ...queries[0]!, from: NOW - 15 * DAY }, 'rollup')
    await expectSameAsRaw(store, raw, { ...queries[0]!, from: NOW - 21 * DAY }, 'raw')
  })

  it('recomputes hours whose member rollup (reading_member_1h) does not match reading_1h', async () => {
    const database = `rollup_${++n}`
    const first = await manual(database)
    const raw = await rawOnly(database)
    await first.append(dataset())
    await first.rollups.settle()
    // The member rollup of the last day is lost (dropped by hand, or written by an older hub).
    await influxQuery(influxd!.url, `DELETE FROM reading_member_1h WHERE time >= ${NOW - DAY}ms`, database)
    const second = await manual(database)
    await second.rollups.settle()
    expect(second.rollups.status()).toMatchObject({ complete: true, recomputedHours: 24 })
    for (const query of queries.filter((q) => q.bucketMs === HOUR && q.kind === 'gauge')) await expectSameAsRaw(second, raw, query, 'rollup')
  })

  it('deleteMember drops the member from reading_1h and reading_member_1h too', async () => {
    const database = `rollup_${++n}`
    const store = await manual(database)
    const raw = await rawOnly(database)
    await store.append(dataset())
    await store.rollups.settle()
    await store.deleteMember('a')
    for (const measurement of ['reading_1h', 'reading_member_1h']) {
      const left = await influxQuery(influxd!.url, `SHOW TAG VALUES FROM ${measurement} WITH KEY = member`, database) as { results: Array<{ series: Array<{ values: unknown[][] }> }> }
      expect(left.results[0]!.series[0]!.values).toEqual([['member', 'b'], ['member', 'c']])
    }
    for (const query of queries.slice(0, 3)) await expectSameAsRaw(store, raw, query, 'rollup')
  })
})

describe('reading the rollup in slices', () => {
  it('cuts a window in two on bucket boundaries, the last slice ending at the split', () => {
    expect(slicesOf(0, 168 * HOUR, HOUR)).toEqual([{ from: 0, to: 84 * HOUR }, { from: 84 * HOUR, to: 168 * HOUR }])
    expect(slicesOf(0, 7 * DAY, DAY)).toEqual([{ from: 0, to: 4 * DAY }, { from: 4 * DAY, to: 7 * DAY }])
    expect(slicesOf(0, 5 * HOUR, 3 * HOUR)).toEqual([{ from: 0, to: 3 * HOUR }, { from: 3 * HOUR, to: 5 * HOUR }])
    expect(slicesOf(0, HOUR, HOUR)).toEqual([{ from: 0, to: HOUR }])
    // A split inside the last bucket: still two slices.
    expect(slicesOf(0, 169 * HOUR, 3 * HOUR)).toEqual([{ from: 0, to: 87 * HOUR }, { from: 87 * HOUR, to: 169 * HOUR }])
  })
})
