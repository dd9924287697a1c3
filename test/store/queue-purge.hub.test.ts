import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDevice, provision, startTestHub, type TestHub } from '../helpers/hub.ts'
import { type Influxd, influxQuery, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'

// A member purged while its readings wait in the durable queue (InfluxDB down) must never
// reach InfluxDB once it is back, while another member keeps publishing through the purge —
// and the queue's counters (GET /api/health) must stay equal to the rows in queue.db.
const available = influxdAvailable()

describe.skipIf(!available)('purging a member whose readings wait in the durable queue', () => {
  let influxd: Influxd
  let t: TestHub
  beforeAll(async () => {
    influxd = await startInfluxd()
    t = await startTestHub({ INFLUX_URL: influxd.url, INFLUX_DATABASE: 'purge' })
  })
  afterAll(async () => {
    await t?.stop()
    await influxd?.dispose()
  })

  /** What queue.db holds, read as the hub's own files are: readings summed over the rows. */
  function queuedInFile (): number {
    const db = new Database(join(t.dataDir, 'queue.db'), { readonly: true })
    try {
      return db.prepare('SELECT COALESCE(SUM(count), 0) FROM batch').pluck().get() as number
    } finally {
      db.close()
    }
  }

  async function points (member: string): Promise<number> {
    const body = await influxQuery(influxd.url, `SELECT COUNT(value) FROM reading WHERE member = '${member}'`, 'purge') as { results: Array<{ series?: Array<{ values: number[][] }> }> }
    return body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0
  }

  const start = Date.now() - 3_600_000
  /** QoS 1 publishes of readings `from`…`from + count - 1`, `inFlight` at a time; resolves when all are acknowledged. */
  async function publish (client: MqttClient, topic: string, from: number, count: number, inFlight = 20): Promise<void> {
    for (let i = from; i < from + count; i += inFlight) {
      const slice = Array.from({ length: Math.min(inFlight, from + count - i) }, (_, k) => i + k)
      await Promise.all(slice.map(async (n) => await client.publishAsync(topic, JSON.stringify({ temperature: 20 + (n % 50) / 10, ts: start + n }), { qos: 1 })))
    }
  }

  it('drops the queued readings for good, with another member publishing throughout; depth stays equal to the rows', async () => {
    const gone = await provision(t, 'gone', 'retail')
    const stays = await provision(t, 'stays', 'retail')
    const goneClient = await connectDevice(t.hub.mqttUrl, gone.device.id, gone.device.token)
    const staysClient = await connectDevice(t.hub.mqttUrl, stays.device.id, stays.device.token)

    await publish(goneClient, gone.device.topic, 0, 10)
    await publish(staysClient, stays.device.topic, 0, 10)
    await t.hub.drained()
    expect([await points('gone'), await points('stays')]).toEqual([10, 10])

    await influxd.stop()
    await publish(goneClient, gone.device.topic, 10, 3000)
    await publish(staysClient, stays.device.topic, 10, 200)
    goneClient.end(true)
    const queued = (await t.api('/api/health')).body.queue
    expect([queued.depth, queuedInFile()]).toEqual([3200, 3200])

    // The other member keeps publishing while the purge runs: its pushes commit beside it.
    let stayed = 210
    let publishing = true
    const background = (async () => {
      while (publishing) {
        await publish(staysClient, stays.device.topic, stayed, 10, 10)
        stayed += 10
      }
    })()
    const purged = await t.admin('/api/admin/members/gone?purge=1', undefined, 'DELETE')
    publishing = false
    await background
    staysClient.end(true)

    // InfluxDB is down, so its delete fails and the request says so; the queue's part is done.
    expect(purged.status).toBe(503)
    const afterPurge = (await t.api('/api/health')).body.queue
    expect([afterPurge.depth, queuedInFile()]).toEqual([stayed - 10, stayed - 10])

    await influxd.start()
    await t.hub.drained()
    // Only what InfluxDB held before the outage (its delete failed); none of the 3000 queued.
    expect([await points('gone'), await points('stays')]).toEqual([10, stayed])
    expect((await t.api('/api/health')).body.queue).toEqual({ depth: 0, bytes: 0, oldestAgeMs: 0, full: false })
    expect(queuedInFile()).toBe(0)

    // The retry finishes the job (server/membership/membership.ts: a failed purge is finished by a retry).
    expect((await t.admin('/api/admin/members/gone?purge=1', undefined, 'DELETE')).status).toBe(204)
    expect([await points('gone'), await points('stays')]).toEqual([0, stayed])
  })
})
