import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childApi, exited, startChildHub } from '../helpers/child-hub.ts'
import { sleep } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

const ADMIN = 'influx-sigkill-admin-token'
const available = influxdAvailable()


// SIGKILL the hub (InfluxDB mode) while devices publish QoS 1; after a restart the durable
// queue resumes and every acknowledged reading is in InfluxDB exactly once.
describe.skipIf(!available)('SIGKILL of a hub writing to InfluxDB', () => {
  let influxd: Influxd
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-influx-kill-'))
  beforeAll(async () => { influxd = await startInfluxd() })
  afterAll(async () => {
    await influxd?.dispose()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps every acknowledged reading', async () => {
    const env = { TSUDOI_DATA_DIR: dataDir, TSUDOI_ADMIN_TOKEN: ADMIN, INFLUX_URL: influxd.url, INFLUX_DATABASE: 'killed' }
    let hub = await startChildHub(env)
    await childApi(hub, '/api/admin/members', ADMIN, { id: 'oyster-farm', name: 'Oyster farm', sector: 'aquaculture' })
    const device = await childApi(hub, '/api/admin/devices', ADMIN, { member: 'oyster-farm', name: 'raft 1', id: 'raft-1' })
    const client = mqtt.connect(`mqtt://127.0.0.1:${hub.mqttPort}`, { username: 'raft-1', password: device.token, reconnectPeriod: 0 })
    client.on('error', () => {})
    await new Promise((resolve) => client.once('connect', resolve))
    const start = Date.now() - 60_000
    const acknowledged: number[] = []
    let killed = false
    const total = 600
    for (let i = 0; i < total; i++) {
      client.publish(device.mqtt.topic, JSON.stringify({ water_temperature: 12 + i / 1000, ts: start + i }), { qos: 1 }, (error) => {
        if (error === undefined || error === null) acknowledged.push(start + i)
        if (!killed && acknowledged.length >= total / 2) {
          killed = true
          hub.process.kill('SIGKILL')
        }
      })
    }
    await exited(hub.process)
    client.end(true)
    expect(killed).toBe(true)

    hub = await startChildHub(env)
    try {
      for (let i = 0; i < 300 && (await childApi(hub, '/api/health', ADMIN)).queue.depth > 0; i++) await sleep(100)
      expect((await childApi(hub, '/api/health', ADMIN)).queue.depth).toBe(0) // drained, not given up on
      const result = await influxQuery(influxd.url, `SELECT value FROM reading WHERE device = 'raft-1'`, 'killed') as any
      const times: number[] = (result.results[0].series?.[0]?.values ?? []).map((row: [number, number]) => row[0])
      expect(new Set(times).size).toBe(times.length)
      const stored = new Set(times)
      expect(acknowledged.filter((time) => !stored.has(time))).toEqual([])
    } finally {
      hub.process.kill('SIGTERM')
      await exited(hub.process)
    }
  })
})
