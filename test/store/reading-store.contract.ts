import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReadingStore } from '../../server/store/reading-store.ts'
import type { Reading } from '../../server/domain/reading.ts'

// The one contract every ReadingStore keeps (one abstract suite for every store, as
// MQTT.js's abstract_store.ts). Values are chosen so means and sums are exact in binary
// floating point, so whole results compare with toEqual on every store.

export interface ContractTarget {
  /** A fresh, opened, empty store. */
  create: () => Promise<ReadingStore>
  /** Waits until appended readings are queryable (the queued store drains in the background). */
  settle?: (store: ReadingStore) => Promise<void>
}

export const T0 = Date.UTC(2024, 0, 15, 10, 0, 0) // aligned to the hour (and 30 s, 1 min)
const S = 1000
const MIN = 60 * S
const HOUR = 60 * MIN

export const reading = (member: string, device: string, metric: string, time: number, value: number, sector = 'accommodation'): Reading =>
  ({ time, member, device, sector, metric, value })

export function readingStoreContract (name: string, target: ContractTarget): void {
  describe(`ReadingStore contract: ${name}`, () => {
    let store: ReadingStore
    const append = async (readings: Reading[]): Promise<void> => {
      await store.append(readings)
      await target.settle?.(store)
    }
    beforeEach(async () => { store = await target.create() })
    afterEach(async () => { await store.close() })

    describe('raw readings', () => {
      const a = [
        reading('ryokan-a', 'd1', 'temperature', T0, 20),
        reading('ryokan-a', 'd1', 'temperature', T0 + MIN, 21),
        reading('ryokan-a', 'd1', 'temperature', T0 + 2 * MIN, 22),
        reading('ryokan-a', 'd1', 'humidity', T0 + MIN, 50),
        reading('ryokan-a', 'd2', 'temperature', T0 + MIN, 25)
      ]
      const b = reading('farm-b', 'd3', 'temperature', T0 + MIN, 30, 'agriculture')
      beforeEach(async () => { await append([...a, b]) })
      const all = { member: 'ryokan-a', from: T0, to: T0 + HOUR, limit: 100 }

      it('returns a member\'s readings newest first, ties ordered by device then metric', async () => {
        expect(await store.readings(all)).toEqual([a[2], a[3], a[1], a[4], a[0]])
      })
      it('filters by metric, by device and by the half-open window [from, to)', async () => {
        expect(await store.readings({ ...all, metric: 'temperature' })).toEqual([a[2], a[1], a[4], a[0]])
        expect(await store.readings({ ...all, device: 'd2' })).toEqual([a[4]])
        expect(await store.readings({ ...all, from: T0 + MIN, to: T0 + 2 * MIN })).toEqual([a[3], a[1], a[4]])
        expect(await store.readings({ ...all, metric: 'temperature', device: 'd1', from: T0 + 1, to: T0 + 2 * MIN + 1 })).toEqual([a[2], a[1]])
      })
      it('applies the limit after ordering, also through readings sharing a time', async () => {
        expect(await store.readings({ ...all, limit: 2 })).toEqual([a[2], a[3]])
        expect(await store.readings({ ...all, limit: 3 })).toEqual([a[2], a[3], a[1]])
        expect(await store.readings({ ...all, limit: 1 })).toEqual([a[2]])
      })
      it('never returns another member\'s readings', async () => {
        expect(await store.readings({ ...all, member: 'farm-b' })).toEqual([b])
        expect(await store.readings({ ...all, device: 'd3' })).toEqual([])
        expect(await store.readings({ ...all, member: 'nobody' })).toEqual([])
      })
      it('lists the metrics a member has', async () => {
        expect(await store.memberMetrics('ryokan-a')).toEqual(['humidity', 'temperature'])
        expect(await store.memberMetrics('nobody')).toEqual([])
      })
    })

    describe('series', () => {
      const rows = [
        reading('ryokan-a', 'd1', 'temperature', T0, 10),
        reading('ryokan-a', 'd1', 'temperature', T0 + 20 * S, 20),
        reading('ryokan-a', 'd1', 'temperature', T0 + 40 * S, 30),
        reading('ryokan-a', 'd1', 'temperature', T0 + 70 * S, 40),
        reading('ryokan-a', 'd1', 'temperature', T0 + HOUR + 5 * S, 50),
        reading('ryokan-a', 'd2', 'temperature', T0 + 10 * S, 0),
        reading('ryokan-a', 'd2', 'humidity', T0 + 10 * S, 99),
        reading('farm-b', 'd3', 'temperature', T0 + 10 * S, 1000, 'agriculture')
      ]
      beforeEach(async () => { await append(rows) })
      const q = { member: 'ryokan-a', metric: 'temperature', from: T0, to: T0 + 2 * HOUR }

      it('buckets by 30 s, 1 min and 1 h aligned to the epoch: mean, min, max, count', async () => {
        expect(await store.series({ ...q, bucketMs: 30 * S })).toEqual([
          { time: T0, mean: 10, min: 0, max: 20, count: 3 },
          { time: T0 + 30 * S, mean: 30, min: 30, max: 30, count: 1 },
          { time: T0 + 60 * S, mean: 40, min: 40, max: 40, count: 1 },
          { time: T0 + HOUR, mean: 50, min: 50, max: 50, count: 1 }
        ])
        expect(await store.series({ ...q, bucketMs: MIN })).toEqual([
          { time: T0, mean: 15, min: 0, max: 30, count: 4 },
          { time: T0 + MIN, mean: 40, min: 40, max: 40, count: 1 },
          { time: T0 + HOUR, mean: 50, min: 50, max: 50, count: 1 }
        ])
        expect(await store.series({ ...q, bucketMs: HOUR })).toEqual([
          { time: T0, mean: 20, min: 0, max: 40, count: 5 },
          { time: T0 + HOUR, mean: 50, min: 50, max: 50, count: 1 }
        ])
      })
      it('filters by device', async () => {
        expect(await store.series({ ...q, device: 'd1', bucketMs: 30 * S })).toEqual([
          { time: T0, mean: 15, min: 10, max: 20, count: 2 },
          { time: T0 + 30 * S, mean: 30, min: 30, max: 30, count: 1 },
          { time: T0 + 60 * S, mean: 40, min: 40, max: 40, count: 1 },
          { time: T0 + HOUR, mean: 50, min: 50, max: 50, count: 1 }
        ])
      })
      it('widens the window to whole buckets: from floored, to raised to the end of its bucket', async () => {
        const window = { ...q, from: T0 + 45 * S, to: T0 + 65 * S }
        expect(await store.series({ ...window, bucketMs: MIN })).toEqual([
          { time: T0, mean: 15, min: 0, max: 30, count: 4 },
          { time: T0 + MIN, mean: 40, min: 40, max: 40, count: 1 }
        ])
        expect(await store.series({ ...window, bucketMs: 30 * S })).toEqual([
          { time: T0 + 30 * S, mean: 30, min: 30, max: 30, count: 1 },
          { time: T0 + 60 * S, mean: 40, min: 40, max: 40, count: 1 }
        ])
      })
    })

    describe('member buckets', () => {
      it('gauges: each device\'s mean, averaged across the member\'s devices; sector filter', async () => {
        await append([
          reading('ryokan-a', 'd1', 'temperature', T0, 10),
          reading('ryokan-a', 'd1', 'temperature', T0 + 30 * S, 20),
          reading('ryokan-a', 'd2', 'temperature', T0 + 10 * S, 31),
          reading('ryokan-a', 'd1', 'temperature', T0 + MIN, 40),
          reading('ryokan-a', 'd1', 'humidity', T0, 77),
          reading('farm-b', 'd3', 'temperature', T0 + 5 * S, 7, 'agriculture'),
          reading('ryokan-c', 'd4', 'temperature', T0, 1),
          reading('ryokan-c', 'd5', 'temperature', T0 + 59 * S, 2),
          reading('ryokan-c', 'd5', 'temperature', T0 + 3 * MIN, 99)
        ])
        const q = { metric: 'temperature', from: T0, to: T0 + 2 * MIN, bucketMs: MIN, kind: 'gauge' as const }
        expect(await store.memberBuckets(q)).toEqual([
          { time: T0, member: 'farm-b', value: 7 },
          { time: T0, member: 'ryokan-a', value: 23 },
          { time: T0, member: 'ryokan-c', value: 1.5 },
          { time: T0 + MIN, member: 'ryokan-a', value: 40 }
        ])
        expect(await store.memberBuckets({ ...q, sector: 'accommodation' })).toEqual([
          { time: T0, member: 'ryokan-a', value: 23 },
          { time: T0, member: 'ryokan-c', value: 1.5 },
          { time: T0 + MIN, member: 'ryokan-a', value: 40 }
        ])
        expect(await store.memberBuckets({ ...q, sector: 'retail' })).toEqual([])
      })

      it('counters: increase per bucket summed across devices; a drop is a restart from zero', async () => {
        await append([
          reading('ryokan-a', 'd1', 'energy', T0 - MIN, 100), // before the window
          reading('ryokan-a', 'd1', 'energy', T0, 110), // +10 over the reading before the window
          reading('ryokan-a', 'd1', 'energy', T0 + 20 * S, 115), // +5
          reading('ryokan-a', 'd1', 'energy', T0 + 40 * S, 5), // reset: +5
          reading('ryokan-a', 'd1', 'energy', T0 + 70 * S, 8), // +3
          reading('ryokan-a', 'd1', 'energy', T0 + 130 * S, 12), // +4
          reading('ryokan-a', 'd2', 'energy', T0 + 10 * S, 50), // first ever: 0
          reading('ryokan-a', 'd2', 'energy', T0 + 50 * S, 52), // +2
          reading('ryokan-a', 'd2', 'energy', T0 + 80 * S, 60), // +8
          reading('ryokan-a', 'd2', 'energy', T0 + 140 * S, 0.5), // reset: +0.5
          reading('farm-b', 'd3', 'energy', T0 + 30 * S, 7, 'agriculture'), // first ever: 0
          reading('farm-b', 'd3', 'energy', T0 + 5 * MIN, 9, 'agriculture') // after the window
        ])
        const q = { metric: 'energy', from: T0, to: T0 + 3 * MIN, bucketMs: MIN, kind: 'counter' as const }
        expect(await store.memberBuckets(q)).toEqual([
          { time: T0, member: 'farm-b', value: 0 },
          { time: T0, member: 'ryokan-a', value: 22 },
          { time: T0 + MIN, member: 'ryokan-a', value: 11 },
          { time: T0 + 2 * MIN, member: 'ryokan-a', value: 4.5 }
        ])
        expect(await store.memberBuckets({ ...q, bucketMs: 3 * MIN, sector: 'accommodation' })).toEqual([
          { time: T0, member: 'ryokan-a', value: 37.5 }
        ])
        // A window starting mid-stream takes the first increase against the reading before it.
        expect(await store.memberBuckets({ ...q, from: T0 + MIN, sector: 'accommodation' })).toEqual([
          { time: T0 + MIN, member: 'ryokan-a', value: 11 },
          { time: T0 + 2 * MIN, member: 'ryokan-a', value: 4.5 }
        ])
      })
    })

    it('presence: distinct members per metric and sector since the hour of `since`', async () => {
      await append([
        reading('ryokan-a', 'd1', 'temperature', T0 + 10 * S, 1),
        reading('ryokan-a', 'd2', 'temperature', T0 + 20 * S, 1),
        reading('ryokan-a', 'd1', 'humidity', T0 + 10 * S, 1),
        reading('ryokan-c', 'd4', 'temperature', T0 + HOUR, 1),
        reading('farm-b', 'd3', 'temperature', T0 + 10 * S, 1, 'agriculture'),
        reading('shop-d', 'd5', 'temperature', T0 - 2 * HOUR, 1, 'retail')
      ])
      expect(await store.presence(T0 + 30 * MIN)).toEqual([
        { metric: 'humidity', sector: 'accommodation', members: 1 },
        { metric: 'temperature', sector: 'accommodation', members: 2 },
        { metric: 'temperature', sector: 'agriculture', members: 1 }
      ])
      expect(await store.presence(T0 + HOUR)).toEqual([{ metric: 'temperature', sector: 'accommodation', members: 1 }])
    })

    it('deleteMember forgets every reading of that member and nothing else', async () => {
      const kept = reading('farm-b', 'd3', 'energy', T0 + 10 * S, 5, 'agriculture')
      await append([
        reading('ryokan-a', 'd1', 'energy', T0, 1),
        reading('ryokan-a', 'd1', 'energy', T0 + 10 * S, 3),
        reading('ryokan-a', 'd2', 'temperature', T0, 20),
        kept
      ])
      await store.deleteMember('ryokan-a')
      await target.settle?.(store)
      const window = { from: T0, to: T0 + HOUR }
      expect(await store.readings({ member: 'ryokan-a', ...window, limit: 10 })).toEqual([])
      expect(await store.memberMetrics('ryokan-a')).toEqual([])
      expect(await store.readings({ member: 'farm-b', ...window, limit: 10 })).toEqual([kept])
      expect(await store.memberBuckets({ metric: 'energy', ...window, bucketMs: MIN, kind: 'counter' })).toEqual([{ time: T0, member: 'farm-b', value: 0 }])
      expect(await store.presence(T0)).toEqual([{ metric: 'energy', sector: 'agriculture', members: 1 }])
    })

    it('re-appending the same (device, metric, time) does not count twice', async () => {
      const batch = [
        reading('ryokan-a', 'd1', 'energy', T0, 10),
        reading('ryokan-a', 'd1', 'energy', T0 + 10 * S, 15),
        reading('ryokan-a', 'd1', 'temperature', T0, 20),
        reading('ryokan-a', 'd1', 'temperature', T0 + 10 * S, 22)
      ]
      await append(batch)
      await append(batch) // a device resending after a lost PUBACK
      await append([batch[1]!, batch[3]!])
      const window = { member: 'ryokan-a', from: T0, to: T0 + HOUR }
      expect(await store.readings({ ...window, limit: 10 })).toEqual([batch[1], batch[3], batch[0], batch[2]])
      expect(await store.series({ ...window, metric: 'temperature', bucketMs: MIN })).toEqual([{ time: T0, mean: 21, min: 20, max: 22, count: 2 }])
      expect(await store.memberBuckets({ metric: 'energy', from: T0, to: T0 + HOUR, bucketMs: MIN, kind: 'counter' })).toEqual([{ time: T0, member: 'ryokan-a', value: 5 }])
    })

    it('lists every (device, metric) series it holds, names exactly (the per-device metric cap\'s seed)', async () => {
      if (store.deviceMetrics === undefined) return
      const names = ['plain', 'comma,separated', 'key=value', 'with space', 'back\\slash', 'trailing\\', 'line\nbreak', '100%', '漁協']
      await append([
        ...names.map((name, i) => reading(`member ${name}`, `dev ${name}`, `m,${name}`, T0 + i * S, i)),
        reading('member plain', 'dev plain', 'humidity', T0, 50)
      ])
      const listed = await store.deviceMetrics()
      const byKey = (a: { device: string, metric: string }, b: { device: string, metric: string }): number =>
        `${a.device}\u0000${a.metric}` < `${b.device}\u0000${b.metric}` ? -1 : 1
      expect([...listed].sort(byKey)).toEqual([
        ...names.map((name) => ({ device: `dev ${name}`, metric: `m,${name}` })),
        { device: 'dev plain', metric: 'humidity' }
      ].sort(byKey))
    })

    it('stores and returns any name exactly: quotes, backslashes, separators, newlines', async () => {
      const names = ['it\'s', 'say "hi"', 'back\\slash', 'trailing\\', 'comma,separated', 'key=value', 'with space',
        'line\nbreak', 'tab\there', '100%', '%41', '漁協 ふくしま', 'x\' OR \'1\'=\'1', 'a\'; DROP DATABASE "tsudoi"; SELECT \'']
      const weird = names.map((name, i) => reading(name, `dev ${name}`, `m,${name}`, T0 + i * S, i, `sector ${name}`))
      const victim = reading('victim', 'd1', 'temperature', T0, 42)
      await append([...weird, victim])
      for (const [i, name] of names.entries()) {
        const expected = weird[i]!
        expect(await store.readings({ member: name, from: T0, to: T0 + HOUR, limit: 10 })).toEqual([expected])
        expect(await store.readings({ member: name, device: `dev ${name}`, metric: `m,${name}`, from: T0, to: T0 + HOUR, limit: 10 })).toEqual([expected])
        expect(await store.series({ member: name, metric: `m,${name}`, from: T0, to: T0 + HOUR, bucketMs: HOUR })).toEqual([{ time: T0, mean: i, min: i, max: i, count: 1 }])
        expect(await store.memberBuckets({ metric: `m,${name}`, sector: `sector ${name}`, from: T0, to: T0 + HOUR, bucketMs: HOUR, kind: 'gauge' }))
          .toEqual([{ time: T0, member: name, value: i }])
        expect(await store.memberMetrics(name)).toEqual([`m,${name}`])
      }
      expect(await store.readings({ member: 'victim', from: T0, to: T0 + HOUR, limit: 10 })).toEqual([victim])
      const presence = await store.presence(T0)
      expect(presence).toHaveLength(names.length + 1)
      expect(presence).toEqual(expect.arrayContaining(names.map((name) => ({ metric: `m,${name}`, sector: `sector ${name}`, members: 1 }))))
      await store.deleteMember(names[13]!)
      await target.settle?.(store)
      expect(await store.readings({ member: 'victim', from: T0, to: T0 + HOUR, limit: 10 })).toEqual([victim])
      expect(await store.readings({ member: names[12]!, from: T0, to: T0 + HOUR, limit: 10 })).toEqual([weird[12]])
    })
  })
}
