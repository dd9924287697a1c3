import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDevice, provision, sleep, startTestHub, type TestHub } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// With InfluxDB down and the durable queue at TSUDOI_QUEUE_MAX_BYTES, the hub stops
// acknowledging (devices keep their readings), says so, and acknowledges again once it drains.
const available = influxdAvailable()

describe.skipIf(!available)('a full durable queue', () => {
  let influxd: Influxd
  let t: TestHub
  beforeAll(async () => {
    influxd = await startInfluxd()
    t = await startTestHub({ INFLUX_URL: influxd.url, INFLUX_DATABASE: 'full', TSUDOI_QUEUE_MAX_BYTES: String(1024 * 1024) })
    await influxd.stop()
  })
  afterAll(async () => {
    await t?.stop()
    await influxd?.dispose()
  })

  it('pauses acknowledgements while full and resumes after InfluxDB comes back', async () => {
    const p = await provision(t, 'big-farm', 'agriculture')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    const start = Date.now() - 3_600_000
    let sent = 0
    // Backlogs of 100 readings until the queue reports full (about 1 MiB of queued payload).
    for (let batch = 0; batch < 400; batch++) {
      const backlog = Array.from({ length: 100 }, (_, i) => ({ soil_moisture: 30 + (i % 10), ts: start + sent + i }))
      sent += backlog.length
      await client.publishAsync(p.device.topic, JSON.stringify(backlog), { qos: 1 })
      if ((await t.api('/api/health')).body.queue.full === true) break
    }
    const health = await t.api('/api/health')
    expect(health.body).toMatchObject({ status: 'degraded', queue: { full: true } })
    expect((await t.api('/metrics')).body).toMatch(/tsudoi_queue_full 1/)

    let acknowledged = false
    const held = client.publishAsync(p.device.topic, JSON.stringify({ soil_moisture: 55, ts: start + sent }), { qos: 1 }).then(() => { acknowledged = true })
    sent++
    await sleep(1000)
    expect(acknowledged).toBe(false)
    expect(client.connected).toBe(true)

    await influxd.start()
    await held
    client.end(true)
    await t.hub.drained()
    const result = await influxQuery(influxd.url, "SELECT COUNT(value) FROM reading WHERE device = 'big-farm-d1'", 'full') as any
    expect(result.results[0].series[0].values[0][1]).toBe(sent)
    expect((await t.api('/api/health')).body).toMatchObject({ status: 'ok', queue: { full: false, depth: 0 } })
  })
})
