import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { createHub, type Hub } from '../../server/hub.ts'
import { connectDevice, provision, type TestHub } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// The data dir holds the session-signing key, credential hashes, the admin token and every
// member's raw readings: 0700, and every file the hub makes in it 0600 (issue 12, item 7).

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8)
/** The mode of every entry of `dir`, by name. */
const modes = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, modeOf(join(dir, name))]))

let root: string
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'tsudoi-modes-')) })
afterAll(() => rmSync(root, { recursive: true, force: true }))

let hub: Hub | undefined
afterEach(async () => { await hub?.stop(); hub = undefined })

/** A hub on `dataDir`, wrapped like startTestHub's (without its fresh data dir). */
async function startHub (dataDir: string, env: Record<string, string> = {}): Promise<TestHub> {
  hub = createHub(loadConfig({
    TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: 'silent', TSUDOI_SYNC: 'normal', ...env
  }))
  await hub.start()
  const h = hub
  const api: TestHub['api'] = async (path, { method, token, body } = {}) => {
    const response = await fetch(`${h.httpUrl}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: response.status, body: await response.json() }
  }
  return { hub: h, dataDir, api, admin: (path, body, method) => api(path, { token: h.adminToken, body, method }), stop: async () => {} }
}

/** Provisions a device and has it publish `payload` with QoS 1 (acknowledged: on disk). */
async function ingest (t: TestHub, payload: Record<string, number>): Promise<void> {
  const p = await provision(t, 'ryokan', 'accommodation')
  const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
  await client.publishAsync(p.device.topic, JSON.stringify(payload), { qos: 1 })
  await client.endAsync()
}

describe('the data dir and its files are private', () => {
  it('embedded store: a new data dir is 0700, every file in it 0600, while running and after stopping', async () => {
    const dataDir = join(root, 'fresh', 'data')
    const t = await startHub(dataDir)
    await ingest(t, { temperature: 21.5 })
    expect(modeOf(dataDir)).toBe('700')
    expect(modeOf(join(root, 'fresh'))).toBe('700')
    const running = modes(dataDir)
    expect(Object.keys(running)).toEqual(expect.arrayContaining(['admin-token', 'readings.db', 'readings.db-wal', 'readings.db-shm', 'registry.db', 'registry.db-wal', 'registry.db-shm']))
    expect(running).toEqual(Object.fromEntries(Object.keys(running).map((name) => [name, '600'])))
    await hub!.stop()
    hub = undefined
    expect(modeOf(dataDir)).toBe('700')
    const stopped = modes(dataDir)
    expect(Object.keys(stopped)).toEqual(expect.arrayContaining(['admin-token', 'readings.db', 'registry.db']))
    expect(stopped).toEqual(Object.fromEntries(Object.keys(stopped).map((name) => [name, '600'])))
  })

  it('tightens a data dir and files an older hub left open to others, and says so', async () => {
    const dataDir = join(root, 'old')
    mkdirSync(dataDir, { mode: 0o755 })
    chmodSync(dataDir, 0o755)
    const t0 = await startHub(dataDir)
    await ingest(t0, { temperature: 20 })
    await hub!.stop()
    hub = undefined
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644)
    writeFileSync(join(dataDir, 'registry.db-wal'), '')
    chmodSync(join(dataDir, 'registry.db-wal'), 0o644)
    chmodSync(dataDir, 0o755)

    const warnings: unknown[] = []
    const log = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(JSON.parse(line)) } })
    hub = createHub(loadConfig({ TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_SYNC: 'normal' }), { log })
    await hub.start()
    expect(modeOf(dataDir)).toBe('700')
    const running = modes(dataDir)
    expect(running).toEqual(Object.fromEntries(Object.keys(running).map((name) => [name, '600'])))
    expect(warnings).toContainEqual(expect.objectContaining({ ns: 'tsudoi:hub', dir: dataDir, was: '755', now: '700', msg: 'data dir was open to other accounts; made it private' }))
  })
})

const available = influxdAvailable()

describe.skipIf(!available)('the durable queue and the dead-letter file are private', () => {
  let influxd: Influxd
  beforeAll(async () => { influxd = await startInfluxd() })
  afterAll(async () => { await influxd?.dispose() })

  it('InfluxDB mode: queue.db, its -wal/-shm and dead-letter.jsonl are 0600', async () => {
    const database = 'modes'
    const poisonedWeek = Date.now() - 14 * 86_400_000
    await influxQuery(influxd.url, `CREATE DATABASE ${database}`)
    // `value` becomes a string field in that week's shard: the hub's float reading there is refused for good.
    const seed = await fetch(`${influxd.url}/write?db=${database}&precision=ms`, { method: 'POST', body: `reading,member=seed,device=seed,metric=note value="text" ${poisonedWeek}` })
    expect(seed.status).toBe(204)

    const dataDir = join(root, 'influx')
    const t = await startHub(dataDir, { INFLUX_URL: influxd.url, INFLUX_DATABASE: database })
    await ingest(t, { temperature: 21.5, ts: poisonedWeek + 1000 })
    await t.hub.drained()
    expect(existsSync(join(dataDir, 'dead-letter.jsonl'))).toBe(true)
    expect(modeOf(dataDir)).toBe('700')
    const running = modes(dataDir)
    expect(Object.keys(running)).toEqual(expect.arrayContaining(['admin-token', 'dead-letter.jsonl', 'queue.db', 'queue.db-wal', 'queue.db-shm', 'registry.db']))
    expect(running).toEqual(Object.fromEntries(Object.keys(running).map((name) => [name, '600'])))
    await hub!.stop()
    hub = undefined
    const stopped = modes(dataDir)
    expect(stopped).toEqual(Object.fromEntries(Object.keys(stopped).map((name) => [name, '600'])))
  })
})
