import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { type Hub, type HubOptions, createHub } from '../../server/hub.ts'
import { ThreadedSqliteStore } from '../../server/store/sqlite/threaded-store.ts'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// Releases in InfluxDB mode are also kept in InfluxDB (server/store/influx/release-archive.ts):
// written once per bucket, restored into a lost or new releases.db before the releaser runs,
// and written late when InfluxDB was down — against a real influxd 1.x and real hubs.

const HOUR = 3_600_000
const available = influxdAvailable()
const RESTAURANT_POWER = [100, 200, 300, 400]

/** A hub on an existing data dir (a restart), with the settings startTestHub uses. */
async function hubOn (dataDir: string, env: Record<string, string>, options: HubOptions = {}): Promise<Hub> {
  const hub = createHub(loadConfig({
    TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0',
    TSUDOI_LOG_LEVEL: process.env.TSUDOI_TEST_LOG ?? 'silent', TSUDOI_SYNC: 'normal', ...env
  }), options)
  await hub.start()
  return hub
}

/** The response body as text: "byte-identical" is about what a client receives. */
async function text (hub: Hub, path: string): Promise<string> {
  const response = await fetch(`${hub.httpUrl}${path}`)
  expect(response.status).toBe(200)
  return await response.text()
}

/** Four restaurants publish two readings in hour 0 and one in hour 1 of the window. */
async function publishRestaurants (t: TestHub, t0: number): Promise<Provisioned[]> {
  const members: Provisioned[] = []
  for (const [i, watts] of RESTAURANT_POWER.entries()) {
    const p = await provision(t, `resto-${i}`, 'restaurant', `resto-${i}-d1`, { seats: 10 * (i + 1) })
    members.push(p)
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    await client.publishAsync(p.device.topic, JSON.stringify([
      { power: watts - 10, ts: t0 + 60_000 }, { power: watts + 10, ts: t0 + 120_000 }, { power: watts * 2, ts: t0 + HOUR + 60_000 }
    ]), { qos: 1 })
    client.end(true)
  }
  return members
}

/** The cells InfluxDB holds for one cohort's hourly power releases, as [time, body, shown]. */
async function archivedCells (influxd: Influxd, database: string, cohort: string, from: number, to: number): Promise<Array<[number, string, boolean]>> {
  const result = await influxQuery(influxd.url, `SELECT "body", "shown" FROM "tsudoi_release" WHERE "series" = 'power' AND "size" = '1h' ` +
    `AND "per" = '' AND "cohort" = '${cohort}' AND time >= ${from}ms AND time < ${to}ms`, database) as { results: Array<{ series?: Array<{ values: Array<[number, string, boolean]> }> }> }
  return result.results[0]!.series?.[0]?.values ?? []
}

/** Every released bucket of a releases.db, as "series size time". */
function localBuckets (dataDir: string): string[] {
  const db = new Database(join(dataDir, 'releases.db'), { readonly: true })
  try {
    return (db.prepare('SELECT series, size, time FROM released_bucket').all() as Array<{ series: string, size: string, time: number }>)
      .map((row) => `${row.series} ${row.size} ${row.time}`).sort()
  } finally {
    db.close()
  }
}

async function archivedBuckets (influxd: Influxd, database: string): Promise<string[]> {
  const result = await influxQuery(influxd.url, 'SELECT "released_at", "series", "size" FROM "tsudoi_released_bucket"', database) as
    { results: Array<{ series?: Array<{ values: Array<[number, number, string, string]> }> }> }
  return (result.results[0]!.series?.[0]?.values ?? []).map(([time, , series, size]) => `${series} ${size} ${time}`).sort()
}

describe.skipIf(!available)('releases archived in InfluxDB', () => {
  const database = 'release_archive'
  const env = (influxd: Influxd) => ({ INFLUX_URL: influxd.url, INFLUX_DATABASE: database, TSUDOI_RELEASE_GRACE: '0s', TSUDOI_TIMEZONE: 'Asia/Tokyo' })
  const t0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR
  const hourly = `metric=power&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`
  const views = [`${hourly}&sector=restaurant`, hourly, `${hourly}&sector=restaurant&per=seat`,
    `metric=power&from=${t0 - 14 * 24 * HOUR}&to=${t0 + 24 * HOUR}&bucket=1d&sector=restaurant`]
  let influxd: Influxd
  let t: TestHub
  let restarted: Hub | undefined
  const dirs: string[] = []
  /** Every view as first served, before anyone withdrew consent. */
  let original: string[]

  beforeAll(async () => {
    influxd = await startInfluxd()
    t = await startTestHub(env(influxd))
    dirs.push(t.dataDir)
    await publishRestaurants(t, t0)
    await t.hub.drained()
    expect(await t.hub.releaser.runOnce()).toBeGreaterThan(0)
    await t.hub.releaseArchive!.drained()
    original = await Promise.all(views.map((view) => text(t.hub, `/api/compare?${view}`)))
  })
  afterAll(async () => {
    await restarted?.stop()
    await t?.hub.stop()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    await influxd?.dispose()
  })

  it('writes every release to InfluxDB with the body /api/compare serves', async () => {
    const served = JSON.parse(await text(t.hub, `/api/compare?${hourly}&sector=restaurant`)) as { buckets: Array<{ time: number }> }
    expect(served.buckets).toEqual([
      expect.objectContaining({ time: t0, members: 3, membersBand: '3–4' }), expect.objectContaining({ time: t0 + HOUR, members: 3 })
    ])
    const cells = await archivedCells(influxd, database, 'sector:restaurant', t0, t0 + 2 * HOUR)
    expect(cells.map(([time, body, shown]) => [time, JSON.parse(body), shown])).toEqual(served.buckets.map((bucket) => [bucket.time, bucket, true]))
    // Every bucket released here is marked in InfluxDB, and nothing else.
    expect(await archivedBuckets(influxd, database)).toEqual(localBuckets(t.dataDir))
    expect(t.hub.releaseArchive!.status()).toMatchObject({ unarchived: 0, refused: 0 })
  })

  it('restores a lost releases.db before releasing: the same bytes, even after a member withdrew consent', async () => {
    // The attack releases exist to stop: withdraw, then make the hub release again without the member.
    expect((await t.admin('/api/admin/members/resto-3', { sharing: false }, 'PATCH')).status).toBe(200)
    await t.hub.stop()
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(t.dataDir, `releases.db${suffix}`), { force: true })
    restarted = await hubOn(t.dataDir, env(influxd))
    await restarted.releaser.runOnce()
    const after = await Promise.all(views.map((view) => text(restarted!, `/api/compare?${view}`)))
    expect(after).toEqual(original)
    expect(restarted.releaseArchive!.status().restored).toMatchObject({ restored: localBuckets(t.dataDir).length, queued: 0 })
  })

  it('gives a new node (fresh data dir, the registry copied) the same releases', async () => {
    await restarted!.stop()
    restarted = undefined
    const fresh = mkdtempSync(join(tmpdir(), 'tsudoi-test-'))
    dirs.push(fresh)
    cpSync(join(t.dataDir, 'registry.db'), join(fresh, 'registry.db'))
    restarted = await hubOn(fresh, env(influxd))
    await restarted.releaser.runOnce()
    expect(await Promise.all(views.map((view) => text(restarted!, `/api/compare?${view}`)))).toEqual(original)
  })
})

describe.skipIf(!available)('releases made while InfluxDB is down', () => {
  const database = 'release_outage'
  const env = (influxd: Influxd) => ({ INFLUX_URL: influxd.url, INFLUX_DATABASE: database, TSUDOI_RELEASE_GRACE: '0s' })
  const t0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR
  const views = [`metric=power&sector=restaurant&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`, `metric=power&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`]
  let influxd: Influxd
  let t: TestHub
  let restarted: Hub | undefined
  let readingsDir: string
  // Readings in the embedded store, so the releaser can run while influxd is down: in InfluxDB
  // mode that happens when InfluxDB goes away between the releaser's read and the archive's write.
  const readings = () => new ThreadedSqliteStore({ file: join(readingsDir, 'readings.db'), synchronous: 'normal' })

  beforeAll(async () => {
    influxd = await startInfluxd()
    readingsDir = mkdtempSync(join(tmpdir(), 'tsudoi-test-readings-'))
    t = await startTestHub(env(influxd), { store: readings() })
    await t.hub.releaseArchive!.restored()
  })
  afterAll(async () => {
    await restarted?.stop()
    await t?.stop()
    await influxd?.dispose()
    rmSync(readingsDir, { recursive: true, force: true })
  })

  it('serves the releases at once and writes them to InfluxDB once it is back', async () => {
    await publishRestaurants(t, t0)
    await influxd.stop()
    expect(await t.hub.releaser.runOnce()).toBeGreaterThan(0)
    const served = JSON.parse(await text(t.hub, `/api/compare?metric=power&sector=restaurant&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`)) as { buckets: Array<{ time: number }> }
    expect(served.buckets).toEqual([expect.objectContaining({ time: t0, members: 3 }), expect.objectContaining({ time: t0 + HOUR, members: 3 })])
    const waiting = localBuckets(t.dataDir).length
    expect(t.hub.releaseArchive!.status().unarchived).toBe(waiting)
    await influxd.start()
    await t.hub.releaseArchive!.drained()
    const cells = await archivedCells(influxd, database, 'sector:restaurant', t0, t0 + 2 * HOUR)
    expect(cells.map(([time, body, shown]) => [time, JSON.parse(body), shown])).toEqual(served.buckets.map((bucket) => [bucket.time, bucket, true]))
    expect(await archivedBuckets(influxd, database)).toEqual(localBuckets(t.dataDir))
    expect(t.hub.releaseArchive!.status()).toMatchObject({ unarchived: 0, refused: 0, failures: expect.any(Number) })
    expect(t.hub.releaseArchive!.status().failures).toBeGreaterThan(0)
  })

  it('does not release before the archive is restored, when InfluxDB is down at a restart', async () => {
    // Needs the releases of the test above, archived.
    const original = await Promise.all(views.map((view) => text(t.hub, `/api/compare?${view}`)))
    expect((await t.admin('/api/admin/members/resto-3', { sharing: false }, 'PATCH')).status).toBe(200)
    await t.hub.stop()
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(t.dataDir, `releases.db${suffix}`), { force: true })
    await influxd.stop()
    restarted = await hubOn(t.dataDir, env(influxd), { store: readings() })
    // Whenever this pass gets to run, what it leaves served must be the original releases.
    const served = restarted.releaser.runOnce().then(() => Promise.all(views.map((view) => text(restarted!, `/api/compare?${view}`))))
    await influxd.start()
    expect(await served).toEqual(original)
  })
})
