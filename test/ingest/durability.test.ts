import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { childApi, exited, startChildHub } from '../helpers/child-hub.ts'

const ADMIN = 'durability-test-admin-token'


// "An acknowledgement means durable": SIGKILL the hub the moment PUBACKs arrive; after a
// restart every acknowledged reading is there.
describe('QoS 1 durability across SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-durable-'))
  const env = { TSUDOI_DATA_DIR: dataDir, TSUDOI_ADMIN_TOKEN: ADMIN, TSUDOI_SYNC: 'full' }
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('keeps every acknowledged reading', async () => {
    let hub = await startChildHub(env)
    const member = await childApi(hub, '/api/admin/members', ADMIN, { id: 'koi-farm', name: 'Koi farm', sector: 'aquaculture' })
    const device = await childApi(hub, '/api/admin/devices', ADMIN, { member: 'koi-farm', name: 'tank 1', id: 'tank-1' })

    const client = mqtt.connect(`mqtt://127.0.0.1:${hub.mqttPort}`, { username: 'tank-1', password: device.token, reconnectPeriod: 0 })
    client.on('error', () => {})
    await new Promise((resolve) => client.once('connect', resolve))
    const acknowledged: number[] = []
    const start = Date.now() - 10_000
    let killed = false
    const total = 400
    const sent = Array.from({ length: total }, (_, i) => new Promise<void>((resolve) => {
      client.publish(device.mqtt.topic, JSON.stringify({ water_temperature: 10 + i / 100, ts: start + i }), { qos: 1 }, (error) => {
        if (error === undefined || error === null) acknowledged.push(start + i)
        if (!killed && acknowledged.length >= total / 2) {
          killed = true
          hub.process.kill('SIGKILL')
        }
        resolve()
      })
    }))
    await exited(hub.process)
    client.end(true)
    await Promise.race([Promise.all(sent), new Promise((resolve) => setTimeout(resolve, 500))])
    expect(killed).toBe(true)
    expect(acknowledged.length).toBeGreaterThanOrEqual(total / 2)

    hub = await startChildHub(env)
    try {
      const stored = await childApi(hub, `/api/me/readings?metric=water_temperature&from=${start}&to=${start + total}&limit=10000`, member.accessKey)
      const times = new Set(stored.readings.map((r: { time: number }) => r.time))
      const lost = acknowledged.filter((time) => !times.has(time))
      expect(lost).toEqual([])
    } finally {
      hub.process.kill('SIGTERM')
      expect(await exited(hub.process)).toBe(0)
    }
  })
})
