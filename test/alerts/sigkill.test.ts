import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { childApi, exited, startChildHub } from '../helpers/child-hub.ts'
import { startReceiver, until } from './receivers.ts'

const ADMIN = 'alerts-sigkill-admin-token'

// Issue 17: no alert lost across kill -9 of the hub between the reading's PUBACK and the
// delivery. The rule's new state, its event and the delivery row are written before the
// PUBACK leaves (the bus's `readings` runs before the acknowledgement), so the next hub owes it.
describe('an alert across SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-alerts-kill-'))
  const env = { TSUDOI_DATA_DIR: dataDir, TSUDOI_ADMIN_TOKEN: ADMIN, TSUDOI_SYNC: 'full', TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on', TSUDOI_ALERT_RETRY: '50ms' }
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('is delivered by the next hub when the first was killed the moment it acknowledged the reading', async () => {
    const probe = await startReceiver()
    const port = probe.port
    await probe.close() // the webhook is down while the first hub runs

    let hub = await startChildHub(env)
    const member = await childApi(hub, '/api/admin/members', ADMIN, { id: 'koi-farm', name: 'Koi farm', sector: 'aquaculture' })
    const device = await childApi(hub, '/api/admin/devices', ADMIN, { member: 'koi-farm', name: 'tank 1', id: 'tank-1' })
    const rule = await childApi(hub, '/api/me/alerts', member.accessKey, {
      name: 'Tank warm', device: 'tank-1', metric: 'water_temperature', condition: { type: 'above', value: 25 }, channels: [{ type: 'webhook', url: `http://127.0.0.1:${port}/` }]
    })
    expect(rule.id).toMatch(/^al/)

    const client = mqtt.connect(`mqtt://127.0.0.1:${hub.mqttPort}`, { username: 'tank-1', password: device.token, reconnectPeriod: 0 })
    client.on('error', () => {})
    await new Promise((resolve) => client.once('connect', resolve))
    await new Promise<void>((resolve) => {
      client.publish(device.mqtt.topic, JSON.stringify({ water_temperature: 27.5 }), { qos: 1 }, () => {
        hub.process.kill('SIGKILL')
        resolve()
      })
    })
    await exited(hub.process)
    client.end(true)

    const receiver = await startReceiver(() => 200, port)
    hub = await startChildHub(env)
    try {
      const [request] = await receiver.received(1)
      expect(JSON.parse(request!.body)).toEqual({
        alert: expect.any(String), rule: rule.id, name: 'Tank warm', state: 'firing', device: 'tank-1', metric: 'water_temperature', value: 27.5, time: expect.any(Number)
      })
      // One event, delivered once (and an HTTP round trip before the SIGTERM below: the child
      // installs its signal handlers just after printing its banner).
      await until(async () => (await childApi(hub, '/api/me/alerts/events', member.accessKey)).events[0]?.deliveries[0]?.status === 'sent' ? true : undefined, 'sent')
      const { events } = await childApi(hub, '/api/me/alerts/events', member.accessKey)
      expect(events.map((e: { kind: string, deliveries: Array<{ status: string }> }) => [e.kind, e.deliveries.map((d) => d.status)])).toEqual([['fired', ['sent']]])
    } finally {
      hub.process.kill('SIGTERM')
      const code = await exited(hub.process)
      expect(code, hub.output()).toBe(0)
      await receiver.close()
    }
  }, 120_000) // two hub processes start and stop in it; on a loaded 2-core machine each start alone took over 20 s
})
