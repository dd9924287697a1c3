import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isPending } from '../../server/compare/compare-bucket.ts'
import { releaseCell } from '../../server/compare/release/release-cell.ts'
import { type ShownRelease, isSuppressedRelease } from '../../server/domain/release.ts'
import { Releaser } from '../../server/compare/releaser.ts'
import { TsudoiError } from '../../server/errors.ts'
import type { Member } from '../../server/registry/registry.ts'
import { HOUR, PARAMS, T0, T1, WINDOW, member, releaseFixture, rows } from './fixtures.ts'

const DAY = 24 * HOUR
const shown = (bucket: unknown): ShownRelease => {
  if (typeof bucket !== 'object' || bucket === null || isSuppressedRelease(bucket as ShownRelease) || isPending(bucket as ShownRelease)) throw new Error(`not shown: ${JSON.stringify(bucket)}`)
  return bucket as ShownRelease
}

describe('CompareService, served from releases', () => {
  let members: Member[]
  let f: ReturnType<typeof releaseFixture>

  beforeEach(() => {
    members = [
      member('r1', { seats: 10 }), member('r2', { seats: 20 }), member('r3', { seats: 40 }), member('r4'),
      member('quiet', { sharing: false, seats: 5 }),
      member('w1', { workshop: 'ws-a' }), member('w2', { workshop: 'ws-a' }), member('w3', { workshop: 'ws-a' }),
      member('solo', { workshop: 'ws-b' })
    ]
    f = releaseFixture(() => members)
    f.store.values = [
      ...rows(T0, { r1: 10, r2: 20, r3: 30, r4: 40, quiet: 25, w1: 100, w2: 200, w3: 300, solo: 999, ghost: 7 }),
      ...rows(T1, { r1: 11, r2: 21 })
    ]
  })
  afterEach(() => f.close())

  it('publishes the release of each closed bucket: perturbed figures, a member band, an interval', async () => {
    f.clock.set(T0 + 2 * HOUR)
    expect(await f.releaser.runOnce()).toBeGreaterThan(0)
    const result = await f.service.compare(WINDOW)
    // r1..r4 only: not "quiet" (no consent), not the workshops, not "ghost" (unknown to the registry)
    const expected = releaseCell({ series: 'energy', size: '1h', time: T0 }, [{ member: 'r1', value: 10 }, { member: 'r2', value: 20 }, { member: 'r3', value: 30 }, { member: 'r4', value: 40 }], PARAMS)
    expect(result).toEqual({
      metric: 'energy', unit: 'kWh', kind: 'counter', sector: null, k: 3, p: 10, bucket: HOUR, timeZone: 'UTC', per: null,
      buckets: [expected, { time: T1, suppressed: true }]
    })
    const release = shown(result.buckets[0])
    expect(release).toMatchObject({ time: T0, members: 3, membersBand: '3–4' })
    // Four members: the mean and its interval, no median (quantiles from 10 members).
    expect(Object.keys(release).sort()).toEqual(['mean', 'meanInterval', 'members', 'membersBand', 'time'])
    expect(release.mean).not.toBe(25)
    expect(release.meanInterval[0]).toBeLessThan(release.mean)
  })

  it('shows a bucket that has not closed (or waits out its grace) as pending, and releases it later', async () => {
    f.clock.set(T0 + 30 * 60_000)
    await f.releaser.runOnce()
    expect((await f.service.compare(WINDOW)).buckets).toEqual([{ time: T0, pending: true }, { time: T1, pending: true }])
    f.clock.set(T1)
    await f.releaser.runOnce()
    expect(shown((await f.service.compare(WINDOW)).buckets[0]).time).toBe(T0)
  })

  it('never recomputes a release: later readings and a withdrawal of consent leave it as published', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const before = await f.service.compare(WINDOW)
    members = members.map((m) => m.id === 'r4' ? { ...m, sharing: false } : m)
    f.store.values.push(...rows(T0, { fake1: 0, fake2: 0 }), ...rows(T1, { r3: 5, r4: 6 }))
    f.clock.advance(DAY)
    await f.releaser.runOnce()
    expect(await f.service.compare(WINDOW)).toEqual(before)
  })

  it('releases history loaded into an untouched bucket once the grace period has passed after it arrived', async () => {
    const fixture = releaseFixture(() => members, { graceMs: 10 * 60_000 })
    try {
      fixture.clock.set(T0 + 5 * DAY)
      await fixture.releaser.runOnce()
      fixture.store.values = rows(T0, { r1: 10, r2: 20, r3: 30 })
      await fixture.releaser.runOnce() // first seen now
      expect((await fixture.service.compare(WINDOW)).buckets[0]).toEqual({ time: T0, suppressed: true })
      fixture.clock.advance(10 * 60_000)
      await fixture.releaser.runOnce()
      expect(shown((await fixture.service.compare(WINDOW)).buckets[0]).membersBand).toBe('3–4')
    } finally {
      fixture.close()
    }
  })

  it('gives the caller its own values unperturbed, and its standing against the published mean (no quantile under 10)', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const result = await f.service.compare({ ...WINDOW, caller: 'r3' })
    expect(result.me?.points).toEqual([{ time: T0, value: 30, percentile: null }])
    // r1 is alone with r2 at T1: its own value is shown, compared only where the release is.
    expect((await f.service.compare({ ...WINDOW, caller: 'r1' })).me?.points).toEqual([
      { time: T0, value: 10, percentile: null }, { time: T1, value: 11, percentile: null }
    ])
    const published = shown(result.buckets[0]).mean
    expect(result.me?.summary).toEqual({ buckets: 1, peers: 3, value: 30, percentile: null, lowerThan: null, versusMean: Math.round(1000 * (30 / published - 1)) / 10 })
    const quiet = await f.service.compare({ ...WINDOW, caller: 'quiet' })
    expect(quiet.me?.points).toEqual([{ time: T0, value: 25, percentile: null }])
  })

  it('gives the caller its own line beside its own sector or all sectors only', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    expect((await f.service.compare({ ...WINDOW, caller: 'r1', sector: 'restaurant' })).me).toBeDefined()
    expect((await f.service.compare({ ...WINDOW, caller: 'r1', sector: 'fishery' })).me).toBeUndefined()
  })

  it('compares a workshop member within its workshop only, with k there too', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const room = shown((await f.service.compare({ ...WINDOW, caller: 'w1' })).buckets[0])
    expect(room).toEqual(releaseCell({ series: 'energy', size: '1h', time: T0 }, rows(T0, { w1: 100, w2: 200, w3: 300 }).map(({ member, value }) => ({ member, value })), PARAMS))
    expect((await f.service.compare({ ...WINDOW, caller: 'solo' })).buckets[0]).toEqual({ time: T0, suppressed: true })
  })

  it('normalises per seat with the same factors, leaving out members without the figure', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const result = await f.service.compare({ ...WINDOW, per: 'seat' })
    // r1 10/10, r2 20/20, r3 30/40 (quiet has no consent, r4 no seats)
    expect(result.buckets[0]).toEqual(releaseCell({ series: 'energy', size: '1h', time: T0 }, [{ member: 'r1', value: 1 }, { member: 'r2', value: 1 }, { member: 'r3', value: 0.75 }], PARAMS))
  })

  it('cuts days in the community time zone', async () => {
    const tokyo = releaseFixture(() => members, { timeZone: 'Asia/Tokyo' })
    try {
      // 14:00 and 16:00 UTC are two different days in Tokyo (midnight there is 15:00 UTC).
      tokyo.store.values = [...rows(T0 + 14 * HOUR, { r1: 1, r2: 2, r3: 3 }), ...rows(T0 + 16 * HOUR, { r1: 4, r2: 5, r3: 6 })]
      tokyo.clock.set(T0 + 3 * DAY)
      await tokyo.releaser.runOnce()
      const result = await tokyo.service.compare({ metric: 'energy', from: T0, to: T0 + DAY, bucketMs: DAY })
      expect(result.buckets.map((b) => [new Date(b.time).toISOString(), isSuppressedRelease(b as ShownRelease)])).toEqual([
        ['2023-12-31T15:00:00.000Z', false], ['2024-01-01T15:00:00.000Z', false]
      ])
    } finally {
      tokyo.close()
    }
  })

  it('makes no release without the privacy secret', async () => {
    const releaser = new Releaser({ store: f.store, releases: f.releases, members: () => members, params: () => ({ ...PARAMS, secret: '' }), timeZone: 'UTC', graceMs: 0, clock: f.clock.now })
    f.clock.set(T0 + 2 * HOUR)
    await expect(releaser.runOnce()).rejects.toThrow(/no privacy secret/)
    expect((await f.service.compare(WINDOW)).buckets).toEqual([{ time: T0, suppressed: true }, { time: T1, suppressed: true }])
  })

  it('never names a member, not even to the caller', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const text = JSON.stringify(await f.service.compare({ ...WINDOW, caller: 'r1' }))
    for (const id of ['r2', 'r3', 'r4', 'quiet', 'w1', 'ghost']) expect(text).not.toContain(`"${id}"`)
  })

  it('refuses bucket sizes off the grid and other invalid requests with VALIDATION_FAILED', async () => {
    for (const bad of [{ ...WINDOW, bucketMs: 2 * HOUR }, { ...WINDOW, bucketMs: 30 * 60_000 }, { ...WINDOW, metric: '1x' }, { ...WINDOW, to: T0 }]) {
      await expect(f.service.compare(bad)).rejects.toSatisfy((error) => error instanceof TsudoiError && error.code === 'VALIDATION_FAILED')
    }
  })

  it('counts the community and lists the comparable pairs with a shown release lately', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    expect(await f.service.community()).toEqual({
      members: { total: 4, bySector: { restaurant: 4 } },
      // Every sharing member is a restaurant: "all sectors" would be the same chart again (community.ts).
      comparable: [{ metric: 'energy', sector: 'restaurant', members: 3 }]
    })
  })

  it('exports the community releases as open data, never a caller\'s view', async () => {
    f.clock.set(T0 + 2 * HOUR)
    await f.releaser.runOnce()
    const data = await f.service.openData(WINDOW)
    expect(data).toMatchObject({ k: 3, p: 10, metric: 'energy', timeZone: 'UTC' })
    expect(data.rows.map((row) => [row.time, row.suppressed, row.membersBand])).toEqual([[T0, false, '3–4'], [T1, true, null]])
    expect(JSON.stringify(data)).not.toContain('"me"')
  })
})
