import { describe, expect, it } from 'vitest'
import { TtlCache } from '../../server/compare/ttl-cache.ts'
import { fakeClock } from './fixtures.ts'

describe('TtlCache', () => {
  it('reuses an answer until the TTL has passed, then loads again', async () => {
    const clock = fakeClock(0)
    const cache = new TtlCache<number>(1000, clock.now)
    let loads = 0
    const load = async (): Promise<number> => ++loads
    expect(await cache.get('a', load)).toBe(1)
    clock.advance(999)
    expect(await cache.get('a', load)).toBe(1)
    clock.advance(1)
    expect(await cache.get('a', load)).toBe(2)
  })

  it('drops expired keys on the next miss', async () => {
    const clock = fakeClock(0)
    const cache = new TtlCache<string>(1000, clock.now)
    await cache.get('a', async () => 'a')
    await cache.get('b', async () => 'b')
    clock.advance(1000)
    await cache.get('c', async () => 'c')
    expect(cache.size).toBe(1)
  })

  it('forgets a load that failed, even synchronously', async () => {
    const cache = new TtlCache<string>(1000, fakeClock(0).now)
    await expect(cache.get('a', () => { throw new Error('boom') })).rejects.toThrow('boom')
    expect(cache.size).toBe(0)
    expect(await cache.get('a', async () => 'ok')).toBe('ok')
  })
})
