import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ReadingStore } from '../../server/store/reading-store.ts'
import { SqliteReadingStore } from '../../server/store/sqlite/store.ts'
import { HubApi } from '../lib/hub-api.ts'
import { ROOT, startHubProcess, type HubProcess } from '../lib/hub-process.ts'
import { type Influxd, influxql } from '../lib/influx.ts'
import type { ResultLog } from '../lib/results.ts'
import { summarize, withSpread } from '../lib/stats.ts'
import type { Report, Row } from '../lib/table.ts'
import { expectStore } from '../targets/hub.ts'
import { DATASET_PREFIX, type Dataset, type DatasetPlan, batches, describe } from './dataset.ts'

// Measurement 5: the comparison and series queries over a generated data set, loaded through
// each store's own write path, warm and uncached, beside the raw InfluxQL a Grafana panel runs.

const HOUR = 3_600_000
const DAY = 86_400_000
const QUERY_DB = 'tsudoi_queries'

export interface QueriesPlan { dataset: Omit<DatasetPlan, 'extraMs'>, repeats: number }

export interface QueryTimes { store: string, query: string, ms: number[], rows: number }

async function load (store: ReadingStore, dataset: Dataset): Promise<number> {
  const started = performance.now()
  await store.open()
  for (const batch of batches(dataset, 20_000)) await store.append(batch)
  await store.close()
  return dataset.readings / ((performance.now() - started) / 1000)
}

/**
 * Each call shifts the window back one bucket (1 h): the compare service caches a store answer
 * for 5 s by its bucket-aligned window, so a new window is a new store query. The data set
 * reaches `repeats` hours further back, so every window still covers full data.
 */
async function timeQueries (api: HubApi, accessKey: string, dataset: Dataset, repeats: number, store: string): Promise<QueryTimes[]> {
  const queries = [
    { query: 'GET /api/compare 24 h (1 h buckets)', path: (to: number) => `/api/compare?metric=temperature&from=${to - DAY}&to=${to}&bucket=1h`, rows: (b: unknown) => (b as { buckets?: unknown[] }).buckets?.length ?? 0 },
    { query: 'GET /api/compare 7 d (1 h buckets)', path: (to: number) => `/api/compare?metric=temperature&from=${to - 7 * DAY}&to=${to}&bucket=1h`, rows: (b: unknown) => (b as { buckets?: unknown[] }).buckets?.length ?? 0 },
    { query: 'GET /api/me/series 7 d (1 h buckets)', path: (to: number) => `/api/me/series?metric=temperature&from=${to - 7 * DAY}&to=${to}&bucket=1h`, rows: (b: unknown) => (b as { points?: unknown[] }).points?.length ?? 0 }
  ]
  const out: QueryTimes[] = []
  // Comparisons take whole buckets of the grid (docs/privacy.md): windows end on the hour.
  const end = Math.floor(dataset.to / HOUR) * HOUR
  for (const q of queries) {
    // Warm-up: page cache, statement cache, JIT; a window not measured later.
    await api.request(q.path(end + HOUR), { token: accessKey })
    const ms: number[] = []
    let rows = 0
    for (let i = 0; i < repeats; i++) {
      const to = end - i * HOUR
      const started = performance.now()
      const body = await api.request(q.path(to), { token: accessKey })
      ms.push(performance.now() - started)
      rows = q.rows(body)
    }
    out.push({ store, query: q.query, ms, rows })
  }
  return out
}

/** Most time given to the hub's hourly rollup to reconcile a loaded data set before timing. */
const ROLLUP_CATCH_UP_MS = 120_000

/**
 * InfluxDB: waits until the hub's hourly rollup has checked (and computed) every hour of the
 * data set, as /metrics reports it, so the times below are the rollup's; resolves with the ms
 * it took since the hub was started, or undefined when it did not within the bound.
 */
async function rollupCaughtUp (api: HubApi, startedAt: number): Promise<number | undefined> {
  while (performance.now() - startedAt < ROLLUP_CATCH_UP_MS) {
    const metrics = await api.metrics()
    if (metrics.get('tsudoi_influx_rollup_reconciling') === 0 && metrics.get('tsudoi_influx_rollup_dirty_hours') === 0) return performance.now() - startedAt
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return undefined
}

/** Most time given to the hub to release every closed bucket of a loaded data set before timing. */
const RELEASES_BOUND_MS = 300_000

/**
 * Comparisons are served from releases made once per closed bucket (docs/privacy.md): waits
 * until the 7-day window has no bucket still pending; resolves with the ms that took, or
 * undefined past the bound.
 */
async function released (api: HubApi, accessKey: string, dataset: Dataset): Promise<number | undefined> {
  const started = performance.now()
  const end = Math.floor(dataset.to / HOUR) * HOUR
  const path = `/api/compare?metric=temperature&from=${end - 7 * DAY}&to=${end}&bucket=1h`
  while (performance.now() - started < RELEASES_BOUND_MS) {
    const body = await api.request(path, { token: accessKey }) as { buckets?: Array<{ pending?: boolean }> }
    if ((body.buckets?.length ?? 0) > 0 && body.buckets!.every((b) => b.pending !== true)) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return undefined
}

async function withHub (env: Record<string, string>, dataDir: string, dataset: Dataset, report: Report, work: (hub: HubProcess, api: HubApi, accessKey: string, startedAt: number) => Promise<void>): Promise<void> {
  // First start: the registry learns the members the readings belong to (releases count
  // registered members), with releases held back so none is made before they exist.
  const setup = await startHubProcess({ env: { ...env, TSUDOI_RELEASE_GRACE: '7d' }, dataDir })
  let accessKey: string
  try {
    const setupApi = new HubApi(setup.httpUrl, setup.adminToken)
    await expectStore(setupApi, setup, env.INFLUX_URL === undefined ? 'embedded' : 'influx')
    accessKey = (await setupApi.provision(DATASET_PREFIX, dataset.plan.members, 0, 8)).members[0]!.accessKey
  } finally {
    await setup.stop({ keepData: true })
  }
  // Then the hub as it runs: every bucket of the loaded history is released at once.
  const startedAt = performance.now()
  const hub = await startHubProcess({ env: { ...env, TSUDOI_RELEASE_GRACE: '0s' }, dataDir })
  const api = new HubApi(hub.httpUrl, hub.adminToken)
  try {
    const ms = await released(api, accessKey, dataset)
    if (ms === undefined) report.notice(`releases not made ${RELEASES_BOUND_MS / 1000} s after the hub started: the comparison times below are of pending buckets`)
    else report.note(`releases of the loaded history (${env.INFLUX_URL === undefined ? 'embedded' : 'InfluxDB'}): ready ${(ms / 1000).toFixed(1)} s after the hub answered`)
    await work(hub, api, accessKey, startedAt)
  } finally {
    await hub.stop({ keepData: true })
  }
}

export interface QueriesOutcome { times: QueryTimes[], load: Array<{ store: string, readingsPerSecond: number }>, dataset: Dataset }

export async function measureQueries (plan: QueriesPlan, influx: Influxd | undefined, report: Report, log: ResultLog, onEmbeddedHub?: (httpUrl: string) => Promise<void>): Promise<QueriesOutcome> {
  const dataset = describe({ ...plan.dataset, extraMs: (plan.repeats + 2) * HOUR })
  console.log(`\n▶ queries: ${plan.dataset.members} members × ${plan.dataset.devicesPerMember} devices × 3 metrics, ${plan.dataset.days} d at ${plan.dataset.stepMs / 60_000} min = ${dataset.readings.toLocaleString('en-US')} readings`)
  const times: QueryTimes[] = []
  const loads: Array<{ store: string, readingsPerSecond: number }> = []

  // Embedded store: SqliteReadingStore.append, the path the hub's group commit uses.
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-bench-queries-'))
  try {
    const rate = await load(new SqliteReadingStore(join(dir, 'readings.db'), 'normal'), dataset)
    loads.push({ store: 'embedded', readingsPerSecond: rate })
    console.log(`  embedded: loaded at ${Math.round(rate).toLocaleString('en-US')} readings/s`)
    await withHub({}, dir, dataset, report, async (hub, api, key) => {
      times.push(...await timeQueries(api, key, dataset, plan.repeats, 'embedded'))
      if (onEmbeddedHub !== undefined) await onEmbeddedHub(hub.httpUrl)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const influxModule = join(ROOT, 'server/store/influx/store.ts')
  if (influx === undefined) {
    report.notice('queries on InfluxDB skipped: influxd is not installed')
  } else if (!existsSync(influxModule)) {
    report.notice('queries on InfluxDB skipped: server/store/influx/store.ts does not exist yet')
  } else {
    const { InfluxReadingStore } = await import('../../server/store/influx/store.ts')
    await influxql(influx.url, `DROP DATABASE "${QUERY_DB}"`)
    // Loaded without the hourly rollup, as a bulk import done before the hub started: the hub
    // then reconciles all of it, and how long that takes is reported.
    const rate = await load(new InfluxReadingStore({ url: influx.url, database: QUERY_DB, rollups: { enabled: false } }), dataset)
    loads.push({ store: 'influxdb', readingsPerSecond: rate })
    console.log(`  InfluxDB: loaded at ${Math.round(rate).toLocaleString('en-US')} readings/s`)
    const influxDir = mkdtempSync(join(tmpdir(), 'tsudoi-bench-queries-'))
    try {
      await withHub({ INFLUX_URL: influx.url, INFLUX_DATABASE: QUERY_DB }, influxDir, dataset, report, async (_hub, api, key, startedAt) => {
        const caughtUp = await rollupCaughtUp(api, startedAt)
        if (caughtUp === undefined) {
          report.notice(`InfluxDB hourly rollup not caught up ${ROLLUP_CATCH_UP_MS / 1000} s after the hub started: the times below include raw reads`)
        } else {
          report.note(`InfluxDB hourly rollup: ${dataset.readings.toLocaleString('en-US')} readings reconciled ${(caughtUp / 1000).toFixed(1)} s after the hub started`)
        }
        log.write('query-rollup-catch-up', { ms: caughtUp === undefined ? null : Math.round(caughtUp), boundMs: ROLLUP_CATCH_UP_MS, readings: dataset.readings })
        times.push(...await timeQueries(api, key, dataset, plan.repeats, 'influxdb'))
      })
    } catch (error) {
      report.notice(`queries through the hub on InfluxDB skipped: ${(error as Error).message}`)
    } finally {
      rmSync(influxDir, { recursive: true, force: true })
    }
    // What a Grafana panel would run against the same data, straight to InfluxDB.
    const raw = `SELECT mean("value") FROM "reading" WHERE "metric" = 'temperature' AND time > now() - 7d GROUP BY time(1h), "member"`
    await influxql(influx.url, raw, QUERY_DB)
    const ms: number[] = []
    let rows = 0
    for (let i = 0; i < plan.repeats; i++) {
      const started = performance.now()
      const results = await influxql(influx.url, raw, QUERY_DB)
      ms.push(performance.now() - started)
      rows = (results[0]?.series ?? []).reduce((sum, s) => sum + s.values.length, 0)
    }
    times.push({ store: 'influxdb (raw InfluxQL)', query: 'SELECT mean(value) … 7 d GROUP BY time(1h), member', ms, rows })
  }

  for (const t of times) log.write('query', { store: t.store, query: t.query, rows: t.rows, ...summarize(t.ms), ms: t.ms.map((x) => Math.round(x * 10) / 10), dataset: dataset.plan, readings: dataset.readings })
  for (const l of loads) log.write('query-load', { ...l, readings: dataset.readings })

  const rows: Row[] = times.map((t) => [t.query, t.store, withSpread(t.ms, 1), t.rows])
  report.table(`Queries — ${dataset.readings.toLocaleString('en-US')} readings (${plan.dataset.members} members × ${plan.dataset.devicesPerMember} devices × 3 metrics, ${plan.dataset.days} d at ${plan.dataset.stepMs / 60_000} min), warm, uncached, ${plan.repeats} calls each`,
    ['query', 'store', 'ms, median (min–max)', 'rows returned'], rows)
  return { times, load: loads, dataset }
}
