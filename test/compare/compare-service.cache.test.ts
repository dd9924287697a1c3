import { beforeEach, describe, expect, it } from 'vitest'
import { CompareService } from '../../server/compare/compare-service.ts'
import type { Member } from '../../server/registry/registry.ts'
import { FakeStore, HOUR, T0, fakeClock, member, rows } from './fixtures.ts'

// One store query serves every viewer of a comparison for cacheTtlMs; the per-caller part
// and the registry's say on who counts are applied on top of the cached answer.
const T1 = T0 + HOUR
const window = { metric: 'energy', from: T0, to: T0 + 2 * HOUR, bucketMs: HOUR }

describe('CompareService cache', () => {
  let store: FakeStore
  let members: Member[]
  let clock: ReturnType<typeof fakeClock>
  let service: CompareService

  beforeEach(() => {
    store = new FakeStore()
    store.values = rows(T0, { a: 1, b: 2, c: 3 })
    clock = fakeClock()
    members = [member('a'), member('b'), member('c')]
    service = new CompareService({ store, members: () => members, k: 3, clock: clock.now })
  })

  it('serves every caller from one store query within the TTL (default 5 s)', async () => {
    const [first, second] = [await service.compare({ ...window, caller: 'a' }), await service.compare({ ...window, caller: 'c' })]
    expect(first.me?.points).toEqual([{ time: T0, value: 1, percentile: 0 }])
    expect(second.me?.points).toEqual([{ time: T0, value: 3, percentile: 100 }])
    clock.advance(4999)
    await service.compare({ ...window, from: T0 + 1, to: T0 + 2 * HOUR - 1 })
    expect(store.bucketQueries).toHaveLength(1)
    clock.advance(1)
    await service.compare(window)
    expect(store.bucketQueries).toHaveLength(2)
  })

  it('keeps separate answers per metric, sector, window and bucket size', async () => {
    await service.compare(window)
    await service.compare({ ...window, metric: 'co2' })
    await service.compare({ ...window, sector: 'retail' })
    await service.compare({ ...window, to: T0 + 3 * HOUR })
    await service.compare({ ...window, bucketMs: 2 * HOUR })
    await service.compare({ ...window, per: 'm2' }) // normalisation is applied after the store
    expect(store.bucketQueries).toHaveLength(5)
  })

  it('shares a query still running', async () => {
    store.hold()
    const pending = Array.from({ length: 5 }, () => service.compare(window))
    store.release()
    expect(new Set((await Promise.all(pending)).map((result) => JSON.stringify(result))).size).toBe(1)
    expect(store.bucketQueries).toHaveLength(1)
  })

  it('forgets a failed query', async () => {
    store.failNext = true
    await expect(service.compare(window)).rejects.toThrow('store down')
    await expect(service.compare(window)).resolves.toMatchObject({ buckets: [{ time: T0, members: 3 }, { time: T1, members: 0 }] })
    expect(store.bucketQueries).toHaveLength(2)
  })

  it('applies a withdrawal of consent at once, even on a cached answer', async () => {
    expect((await service.compare(window)).buckets[0]).toEqual({ time: T0, members: 3, p50: 2, mean: 2 })
    members = [member('a', { sharing: false }), member('b'), member('c')]
    expect((await service.compare(window)).buckets[0]).toEqual({ time: T0, members: 2, suppressed: true })
    expect(store.bucketQueries).toHaveLength(1)
  })

  it('honours a custom TTL', async () => {
    service = new CompareService({ store, members: () => members, k: 3, clock: clock.now, cacheTtlMs: 100 })
    await service.compare(window)
    clock.advance(100)
    await service.compare(window)
    expect(store.bucketQueries).toHaveLength(2)
  })
})
