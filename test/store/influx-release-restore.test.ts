import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Release } from '../../server/domain/release.ts'
import { InfluxReleaseArchive } from '../../server/store/influx/release-archive.ts'
import { ReleaseStore } from '../../server/store/release-store.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// The archive and its restore on their own, against a real influxd 1.x: which copy wins, what
// is written again, and names that need escaping.

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 10, 2, 3)
const available = influxdAvailable()

const shown = (time: number, mean: number): Release =>
  ({ time, members: 3, membersBand: '3–4', p50: mean, mean, meanInterval: [mean * 0.9, mean * 1.1] })

describe.skipIf(!available)('restoring releases from InfluxDB', () => {
  let influxd: Influxd
  let dir: string
  const open: Array<{ store: ReleaseStore, archive: InfluxReleaseArchive }> = []
  let databases = 0

  beforeAll(async () => { influxd = await startInfluxd() })
  afterEach(async () => {
    for (const { store, archive } of open.splice(0)) {
      await archive.stop()
      store.close()
    }
    rmSync(dir, { recursive: true, force: true })
  })
  afterAll(async () => { await influxd?.dispose() })

  /** A release store in a file of its own, archived to `database` (not started). */
  function node (database: string, name: string, archived = true) {
    const store = new ReleaseStore(join(dir, `${name}.db`), { archived })
    store.open()
    const archive = new InfluxReleaseArchive({ influx: { url: influxd.url, database }, releases: store, minRetryMs: 10, maxRetryMs: 50 })
    open.push({ store, archive })
    return { store, archive }
  }

  const freshDatabase = (): string => { dir = mkdtempSync(join(tmpdir(), 'tsudoi-release-restore-')); return `restore_${++databases}` }

  async function archivedBodies (database: string): Promise<Array<[number, string, string, string]>> {
    const result = await influxQuery(influxd.url, 'SELECT "body", "cohort", "series" FROM "tsudoi_release"', database) as
      { results: Array<{ series?: Array<{ values: Array<[number, string, string, string]> }> }> }
    return result.results[0]!.series?.[0]?.values ?? []
  }

  it('takes InfluxDB\'s copy over a bucket this node released again but has not archived', async () => {
    const database = freshDatabase()
    const first = node(database, 'first')
    first.store.save('power', '1h', T0, T0 + HOUR, [{ cohort: 'all', per: '', release: shown(T0, 100) }])
    first.archive.start()
    await first.archive.drained()
    // A second node made the same bucket differently (say, after a consent change) and crashed before archiving it.
    const second = node(database, 'second')
    second.store.save('power', '1h', T0, T0 + 2 * HOUR, [{ cohort: 'all', per: '', release: { time: T0, suppressed: true } }])
    second.archive.start()
    await second.archive.restored()
    await second.archive.drained()
    expect(second.store.releases({ series: 'power', size: '1h', per: '', cohort: 'all', from: T0, to: T0 + HOUR })).toEqual(new Map([[T0, shown(T0, 100)]]))
    expect(second.store.latestShown('1h', '', 0)).toEqual([{ series: 'power', cohort: 'all', release: shown(T0, 100) }])
    expect(second.archive.status()).toMatchObject({ restored: { archived: 1, restored: 1, queued: 0 }, unarchived: 0, written: 0 })
    expect(await archivedBodies(database)).toEqual([[T0, JSON.stringify(shown(T0, 100)), 'all', 'power']])
  })

  it('writes again what InfluxDB lacks: releases made before the hub used InfluxDB', async () => {
    const database = freshDatabase()
    // Embedded mode: no unarchived_bucket at all.
    const embedded = node(database, 'releases', false)
    for (let hour = 0; hour < 30; hour++) {
      embedded.store.save('co2', '1h', T0 + hour * HOUR, T0 + (hour + 1) * HOUR, [
        { cohort: 'all', per: '', release: shown(T0 + hour * HOUR, 400 + hour) },
        { cohort: 'sector:office', per: 'm2', release: { time: T0 + hour * HOUR, suppressed: true } }
      ])
    }
    embedded.store.close()
    open.pop()
    const switched = node(database, 'releases')
    switched.archive.start()
    await switched.archive.drained()
    expect(switched.archive.status()).toMatchObject({ restored: { archived: 0, restored: 0, queued: 30 }, unarchived: 0, written: 30 })
    const bodies = await archivedBodies(database)
    expect(bodies).toHaveLength(60)
    expect(bodies.filter(([, , cohort]) => cohort === 'all').map(([time, body]) => [time, JSON.parse(body)]))
      .toEqual(Array.from({ length: 30 }, (_, hour) => [T0 + hour * HOUR, shown(T0 + hour * HOUR, 400 + hour)]))
    // And a node that lost everything gets all 30 buckets back, the per-m² suppressed cells too.
    const fresh = node(database, 'fresh')
    fresh.archive.start()
    await fresh.archive.restored()
    expect(fresh.store.releases({ series: 'co2', size: '1h', per: 'm2', cohort: 'sector:office', from: T0, to: T0 + 30 * HOUR }).size).toBe(30)
    expect(fresh.store.releasedTimes('co2', '1h', 0, Number.MAX_SAFE_INTEGER).size).toBe(30)
  })

  it('keeps names that line protocol and InfluxQL would bend: series, cohorts and bodies come back exactly', async () => {
    const database = freshDatabase()
    const series = 'odd metric, with = "quotes" \\ and\nnewline'
    const cohort = 'workshop:a b,c=d\\e'
    const release = shown(T0, 12.5)
    const writer = node(database, 'writer')
    writer.store.save(series, '1d', T0, T0 + 24 * HOUR, [{ cohort, per: 'seat', release }])
    writer.archive.start()
    await writer.archive.drained()
    const reader = node(database, 'reader')
    reader.archive.start()
    await reader.archive.restored()
    expect(reader.store.releases({ series, size: '1d', per: 'seat', cohort, from: T0, to: T0 + 1 })).toEqual(new Map([[T0, release]]))
  })

  it('restores once InfluxDB is back when it was down at start, before saying it has', async () => {
    const database = freshDatabase()
    const writer = node(database, 'writer')
    writer.store.save('power', '1w', T0, T0 + HOUR, [{ cohort: 'all', per: '', release: shown(T0, 7) }])
    writer.archive.start()
    await writer.archive.drained()
    await influxd.stop()
    const late = node(database, 'late')
    late.archive.start()
    const restored = late.archive.restored().then(() => late.store.releasedTimes('power', '1w', 0, Number.MAX_SAFE_INTEGER))
    await influxd.start()
    // Whenever it resolves, the bucket is there by then.
    expect(await restored).toEqual(new Set([T0]))
  })

  it('refuses to let the releaser run when stopped before restoring', async () => {
    const database = freshDatabase()
    await influxd.stop()
    try {
      const idle = node(database, 'idle')
      idle.archive.start()
      const restored = idle.archive.restored()
      await idle.archive.stop()
      await expect(restored).rejects.toThrow(/stopped before the releases in InfluxDB were restored/)
    } finally {
      await influxd.start()
    }
  })
})
