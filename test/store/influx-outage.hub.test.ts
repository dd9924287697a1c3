import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDevice, provision, sleep, startTestHub, type TestHub } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// The whole path: real devices publish QoS 1 to the hub while influxd goes down and comes
// back; every acknowledged reading ends up in InfluxDB exactly once.
const available = influxdAvailable()

describe.skipIf(!available)('an InfluxDB outage under MQTT load', () => {
  let influxd: Influxd
  let t: TestHub
  beforeAll(async () => {
    influxd = await startInfluxd()
    t = await startTestHub({ INFLUX_URL: influxd.url, INFLUX_DATABASE: 'outage' })
  })
  afterAll(async () => {
    await t?.stop()
    await influxd?.dispose()
  })

  it('queues while influxd is down and delivers every acknowledged reading once', async () => {
    const p = await provision(t, 'cold-room', 'fishery')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    const start = Date.now() - 60_000
    let acknowledged = 0
    const publish = async (from: number, count: number): Promise<void> => {
      for (let i = from; i < from + count; i++) {
        await client.publishAsync(p.device.topic, JSON.stringify({ temperature: 3 + (i % 10) / 10, ts: start + i }), { qos: 1 })
        acknowledged++
      }
    }
    await publish(0, 100)
    await influxd.stop()
    await publish(100, 200)
    const health = await t.api('/api/health')
    expect(health.body.queue.depth).toBeGreaterThan(0)
    await sleep(300)
    await influxd.start()
    await publish(300, 100)
    client.end(true)
    await t.hub.drained()
    const result = await influxQuery(influxd.url, "SELECT COUNT(value) FROM reading WHERE device = 'cold-room-d1'", 'outage') as any
    expect(acknowledged).toBe(400)
    expect(result.results[0].series[0].values[0][1]).toBe(400)
    const after = await t.api('/api/health')
    expect(after.body.queue).toEqual({ depth: 0, bytes: 0, oldestAgeMs: 0, full: false })
  })
})
