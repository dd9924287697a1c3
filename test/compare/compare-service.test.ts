import { beforeEach, describe, expect, it } from 'vitest'
import { CompareService } from '../../server/compare/compare-service.ts'
import { TsudoiError } from '../../server/errors.ts'
import type { Member } from '../../server/registry/registry.ts'
import { type FakeStore, HOUR, T0, T1, WINDOW, type fakeClock, member, rows, serviceFixture } from './fixtures.ts'

describe('CompareService.compare', () => {
  let store: FakeStore
  let members: Member[]
  let clock: ReturnType<typeof fakeClock>
  let service: CompareService

  beforeEach(() => {
    members = [
      member('r1', { seats: 10 }), member('r2', { seats: 20 }), member('r3', { seats: 40 }), member('r4'),
      member('quiet', { sharing: false, seats: 5 }),
      member('w1', { workshop: 'ws-a' }), member('w2', { workshop: 'ws-a' }), member('w3', { workshop: 'ws-a' }),
      member('solo', { workshop: 'ws-b' })
    ]
    ;({ store, clock, service } = serviceFixture(() => members))
    store.values = [
      ...rows(T0, { r1: 10, r2: 20, r3: 30, r4: 40, quiet: 25, w1: 100, w2: 200, w3: 300, solo: 999, ghost: 7 }),
      ...rows(T1, { r1: 11, r2: 21 })
    ]
  })

  it('compares the community bucket by bucket, asking the store for the metric\'s kind', async () => {
    expect(await service.compare(WINDOW)).toEqual({
      metric: 'energy', unit: 'kWh', kind: 'counter', sector: null, k: 3, bucket: HOUR, per: null,
      buckets: [
        // r1..r4 only: not "quiet" (no consent), not the workshops, not "ghost" (unknown to the registry)
        { time: T0, members: 4, p50: 25, mean: 25 },
        { time: T1, members: 2, suppressed: true }
      ]
    })
    expect(store.bucketQueries).toEqual([{ metric: 'energy', sector: undefined, from: T0, to: T0 + 2 * HOUR, bucketMs: HOUR, kind: 'counter' }])
  })

  it('passes the sector to the store and names it in the result', async () => {
    const result = await service.compare({ ...WINDOW, metric: 'temperature', sector: 'fishery' })
    expect(store.bucketQueries[0]).toMatchObject({ metric: 'temperature', sector: 'fishery', kind: 'gauge' })
    expect(result).toMatchObject({ metric: 'temperature', unit: '°C', kind: 'gauge', sector: 'fishery' })
  })

  it('treats a custom metric as a unit-less gauge', async () => {
    expect(await service.compare({ ...WINDOW, metric: 'hive_weight' })).toMatchObject({ unit: '', kind: 'gauge' })
  })

  it('aligns the window to whole buckets', async () => {
    const result = await service.compare({ ...WINDOW, from: T0 + 5 * 60_000, to: T1 + 1 })
    expect(store.bucketQueries[0]).toMatchObject({ from: T0, to: T0 + 2 * HOUR })
    expect(result.buckets.map((bucket) => bucket.time)).toEqual([T0, T1])
  })

  it('reports every bucket of the window, empty ones suppressed', async () => {
    const result = await service.compare({ ...WINDOW, to: T0 + 3 * HOUR })
    expect(result.buckets[2]).toEqual({ time: T0 + 2 * HOUR, members: 0, suppressed: true })
  })

  it('gives the caller its own values and ranks', async () => {
    expect((await service.compare({ ...WINDOW, caller: 'r2' })).me).toEqual({
      points: [{ time: T0, value: 20, percentile: 100 / 3 }, { time: T1, value: 21, percentile: null }],
      summary: { buckets: 1, percentile: 100 / 3, lowerThan: 200 / 3, peers: 3, value: 20 }
    })
  })

  it('shows a member that withdrew consent its value against the others, without it', async () => {
    const result = await service.compare({ ...WINDOW, caller: 'quiet' })
    expect(result.buckets[0]).toEqual({ time: T0, members: 4, p50: 25, mean: 25 })
    expect(result.me).toEqual({
      points: [{ time: T0, value: 25, percentile: 50 }],
      summary: { buckets: 1, percentile: 50, lowerThan: 50, peers: 4, value: 25 }
    })
  })

  it('compares a workshop member within its workshop only', async () => {
    expect(await service.compare({ ...WINDOW, caller: 'w1' })).toMatchObject({
      buckets: [{ time: T0, members: 3, p50: 200, mean: 200 }, { time: T1, members: 0, suppressed: true }],
      me: { points: [{ time: T0, value: 100, percentile: 0 }], summary: { buckets: 1, percentile: 0, lowerThan: 100, peers: 2, value: 100 } }
    })
  })

  it('keeps k for a workshop cohort too', async () => {
    const result = await service.compare({ ...WINDOW, caller: 'solo' })
    expect(result.buckets).toEqual([{ time: T0, members: 1, suppressed: true }, { time: T1, members: 0, suppressed: true }])
    expect(result.me?.points).toEqual([{ time: T0, value: 999, percentile: null }])
  })

  it('ignores a caller the registry does not know', async () => {
    const result = await service.compare({ ...WINDOW, caller: 'ghost' })
    expect(result).toEqual(await service.compare(WINDOW))
    expect('me' in result).toBe(false)
  })

  it('normalises per seat, leaving out members without the figure', async () => {
    // r1 1, r2 1, r3 0.75; r4 has no seats; quiet (5 seats) is the caller, outside the distribution
    expect(await service.compare({ ...WINDOW, per: 'seat', caller: 'quiet' })).toMatchObject({
      per: 'seat',
      buckets: [{ time: T0, members: 3, p50: 1, mean: 2.75 / 3 }, { time: T1, members: 2, suppressed: true }],
      me: { points: [{ time: T0, value: 5, percentile: 100 }] }
    })
  })

  it('never names a member, not even to the caller', async () => {
    const text = JSON.stringify(await Promise.all(['r1', 'quiet', 'w1', 'solo'].map((caller) => service.compare({ ...WINDOW, caller }))))
    for (const { id, name } of members) {
      expect(text).not.toContain(`"${id}"`)
      expect(text).not.toContain(name)
    }
  })

  it('refuses k below 3', () => {
    expect(() => new CompareService({ store, members: () => members, k: 2, clock: clock.now })).toThrow(RangeError)
  })

  it('refuses invalid requests with VALIDATION_FAILED', async () => {
    const bad = [
      { ...WINDOW, metric: 'Energy!' },
      { ...WINDOW, to: T0 },
      { ...WINDOW, bucketMs: 500 },
      { ...WINDOW, bucketMs: 1000, to: T0 + 10_001_000 },
      { ...WINDOW, per: 'm3' as 'm2' },
      { ...WINDOW, sector: 'casino' as 'retail' }
    ]
    for (const request of bad) {
      await expect(service.compare(request)).rejects.toMatchObject({ name: 'TsudoiError', code: 'VALIDATION_FAILED', status: 400 })
    }
    await expect(service.compare({ ...WINDOW, bucketMs: 1000, to: T0 + 10_000_000 })).resolves.toMatchObject({ bucket: 1000 })
    await expect(service.compare({ ...WINDOW, to: T0 })).rejects.toBeInstanceOf(TsudoiError)
  })
})

describe('CompareService.community and openData', () => {
  it('counts the community and lists comparable pairs of the last 7 days', async () => {
    const members = [member('a'), member('b'), member('c'), member('d', { sharing: false }), member('f', { sector: 'fishery' })]
    const { store, service } = serviceFixture(() => members)
    store.presenceRows = [{ metric: 'energy', sector: 'restaurant', members: 4 }, { metric: 'energy', sector: 'fishery', members: 1 }]
    expect(await service.community()).toEqual({
      members: { total: 4, bySector: { restaurant: 3 } },
      comparable: [{ metric: 'energy', sector: 'all', members: 4 }, { metric: 'energy', sector: 'restaurant', members: 3 }]
    })
    await service.community()
    expect(store.presenceQueries).toEqual([T0 - 7 * 24 * HOUR])
  })

  it('exports the anonymous buckets, never a caller\'s view', async () => {
    const members = [member('a', { seats: 1 }), member('b'), member('c')]
    const { store, service } = serviceFixture(() => members)
    store.values = rows(T0, { a: 1, b: 2, c: 6 })
    // caller and per are not part of the request type; a loose caller passing them changes nothing
    const loose = { ...WINDOW, caller: 'a', per: 'seat' } as Parameters<CompareService['openData']>[0]
    expect(await service.openData(loose)).toEqual({
      k: 3, method: 'hyndman-fan-7', metric: 'energy', unit: 'kWh', sector: null, bucket: HOUR,
      rows: [
        { time: T0, members: 3, suppressed: false, p10: null, p25: null, p50: 2, p75: null, p90: null, mean: 3 },
        { time: T1, members: 0, suppressed: true, p10: null, p25: null, p50: null, p75: null, p90: null, mean: null }
      ]
    })
  })
})
