import { beforeEach, describe, expect, it } from 'vitest'
import { CompareService } from '../../server/compare/compare-service.ts'
import type { Member } from '../../server/registry/registry.ts'
import { type FakeStore, HOUR, T0, T1, WINDOW, type fakeClock, member, rows, serviceFixture } from './fixtures.ts'

// One store query serves every viewer of a comparison for cacheTtlMs; the per-caller part
// and the registry's say on who counts are applied on top of the cached answer.

describe('CompareService cache', () => {
  let store: FakeStore
  let members: Member[]
  let clock: ReturnType<typeof fakeClock>
  let service: CompareService

  beforeEach(() => {
    members = [member('a'), member('b'), member('c')]
    ;({ store, clock, service } = serviceFixture(() => members))
    store.values = rows(T0, { a: 1, b: 2, c: 3 })
  })

  it('serves every caller from one store query within the TTL (default 5 s)', async () => {
    const [first, second] = [await service.compare({ ...WINDOW, caller: 'a' }), await service.compare({ ...WINDOW, caller: 'c' })]
    expect(first.me?.points).toEqual([{ time: T0, value: 1, percentile: 0 }])
    expect(second.me?.points).toEqual([{ time: T0, value: 3, percentile: 100 }])
    clock.advance(4999)
    await service.compare({ ...WINDOW, from: T0 + 1, to: T0 + 2 * HOUR - 1 })
    expect(store.bucketQueries).toHaveLength(1)
    clock.advance(1)
    await service.compare(WINDOW)
    expect(store.bucketQueries).toHaveLength(2)
  })

  it('keeps separate answers per metric, sector, window and bucket size', async () => {
    await service.compare(WINDOW)
    await service.compare({ ...WINDOW, metric: 'co2' })
    await service.compare({ ...WINDOW, sector: 'retail' })
    await service.compare({ ...WINDOW, to: T0 + 3 * HOUR })
    await service.compare({ ...WINDOW, bucketMs: 2 * HOUR })
    await service.compare({ ...WINDOW, per: 'm2' }) // normalisation is applied after the store
    expect(store.bucketQueries).toHaveLength(5)
  })

  it('shares a query still running', async () => {
    store.hold()
    const pending = Array.from({ length: 5 }, () => service.compare(WINDOW))
    store.release()
    expect(new Set((await Promise.all(pending)).map((result) => JSON.stringify(result))).size).toBe(1)
    expect(store.bucketQueries).toHaveLength(1)
  })

  it('forgets a failed query', async () => {
    store.failNext = true
    await expect(service.compare(WINDOW)).rejects.toThrow('store down')
    await expect(service.compare(WINDOW)).resolves.toMatchObject({ buckets: [{ time: T0, members: 3 }, { time: T1, members: 0 }] })
    expect(store.bucketQueries).toHaveLength(2)
  })

  it('applies a withdrawal of consent at once, even on a cached answer', async () => {
    expect((await service.compare(WINDOW)).buckets[0]).toEqual({ time: T0, members: 3, p50: 2, mean: 2 })
    members = [member('a', { sharing: false }), member('b'), member('c')]
    expect((await service.compare(WINDOW)).buckets[0]).toEqual({ time: T0, members: 2, suppressed: true })
    expect(store.bucketQueries).toHaveLength(1)
  })

  it('honours a custom TTL', async () => {
    service = new CompareService({ store, members: () => members, k: 3, clock: clock.now, cacheTtlMs: 100 })
    await service.compare(WINDOW)
    clock.advance(100)
    await service.compare(WINDOW)
    expect(store.bucketQueries).toHaveLength(2)
  })
})
