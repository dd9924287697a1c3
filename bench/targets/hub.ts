import Database from 'better-sqlite3'
import { join } from 'node:path'
import { type BenchMember, HubApi } from '../lib/hub-api.ts'
import { type HubProcess, startHubProcess } from '../lib/hub-process.ts'
import { type Influxd, countPoints, influxdPid } from '../lib/influx.ts'
import { InfluxPollProbe, type QueryableProbe, StreamProbe } from '../lib/queryable.ts'
import type { IngestTarget } from './target.ts'

export const HUB_INFLUX_DB = 'tsudoi_bench'

export interface HubTargetOptions {
  /** embedded: the SQLite store; influx: INFLUX_URL set to `influx`. */
  store: 'embedded' | 'influx'
  influx?: Influxd
  /** Device connections (members get 4 devices each). */
  connections: number
  env?: Record<string, string>
  nodeFlags?: string[]
  /** Open-file limit for the hub (many idle connections). */
  nofile?: number
}

/** Stops the hub and throws when it does not run the store asked for (e.g. ignores INFLUX_URL). */
export async function expectStore (api: HubApi, hub: HubProcess, store: 'embedded' | 'influx'): Promise<void> {
  const health = await api.health()
  if ((store === 'influx') !== /influx/i.test(health.store)) {
    await hub.stop()
    throw new Error(`the hub runs the ${health.store} store although ${store === 'influx' ? 'INFLUX_URL is set' : 'INFLUX_URL is not set'}`)
  }
}

export async function startHubTarget (options: HubTargetOptions): Promise<IngestTarget & { hub: HubProcess, api: HubApi, members: BenchMember[] }> {
  const env: Record<string, string> = { ...options.env }
  if (options.store === 'influx') {
    if (options.influx === undefined) throw new Error('influx store without influxd')
    env.INFLUX_URL = options.influx.url
    env.INFLUX_DATABASE = HUB_INFLUX_DB
  }
  const hub = await startHubProcess({
    env,
    ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
    ...(options.nofile === undefined ? {} : { nofile: options.nofile })
  })
  const api = new HubApi(hub.httpUrl, hub.adminToken)
  await expectStore(api, hub, options.store)
  const { members, devices } = await api.provision('b', Math.ceil(options.connections / 4), 4)
  const logins = devices.slice(0, options.connections).map((d) => ({ clientId: d.id, username: d.id, password: d.token, topic: d.topic }))

  let db: Database.Database | undefined
  const stored = options.store === 'embedded'
    ? async (from: number, to: number): Promise<number> => {
      db ??= new Database(join(hub.dataDir, 'readings.db'), { readonly: true, fileMustExist: true })
      // One range seek per series on the (series, time) primary key. (Written as a join, SQLite
      // scanned the whole reading table instead: ~1.8 s at 2M rows, which the drain times took
      // for the hub's own lag.)
      return (db.prepare('SELECT SUM((SELECT COUNT(*) FROM reading r WHERE r.series = s.id AND r.time >= @from AND r.time <= @to)) FROM series s')
        .pluck().get({ from: Math.floor(from), to: Math.ceil(to) }) as number | null) ?? 0
    }
    : async (from: number, to: number): Promise<number> => await countPoints(options.influx!.url, HUB_INFLUX_DB, from, to)

  const processes = [{ label: 'hub', pid: hub.pid }]
  const influxPid = options.influx === undefined || options.store !== 'influx' ? undefined : influxdPid(options.influx.dir)
  if (influxPid !== undefined) processes.push({ label: 'influxd', pid: influxPid })
  const probes: QueryableProbe[] = []

  return {
    name: options.store === 'embedded' ? 'Tsudoi (embedded store)' : 'Tsudoi (InfluxDB + durable queue)',
    key: options.store,
    mqttPort: hub.mqttPort,
    logins,
    processes,
    stored,
    probe () {
      const probe = options.store === 'embedded'
        ? new StreamProbe(hub.httpUrl, members[0]!.accessKey)
        : new InfluxPollProbe(options.influx!.url, HUB_INFLUX_DB, devices[0]!.id)
      probes.push(probe)
      return probe
    },
    async healthy () {
      if (!hub.alive()) return false
      try { return (await api.health(5000)).status !== undefined } catch { return false }
    },
    diagnostics: async () => await api.metrics(),
    notes: [],
    hub,
    api,
    members,
    async stop () {
      for (const probe of probes) probe.close()
      db?.close()
      await hub.stop()
    }
  }
}
