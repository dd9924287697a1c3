import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { type Hub, createHub } from '../../server/hub.ts'
import { connectDevice } from '../helpers/hub.ts'
import { type Received, startReceiver, until } from './receivers.ts'

// The outbox across restarts (docs/alerts.md): an alert that fired while its webhook was
// down is delivered by the next hub on the same data dir; the firing state survives, so the
// next reading over the threshold does not fire it again; and a delivery once acknowledged
// by the receiver (2xx) is never sent again.

describe('alerts across a hub restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-alerts-restart-'))
  const hubs: Hub[] = []
  afterAll(async () => {
    for (const hub of hubs) await hub.stop().catch(() => {})
    rmSync(dataDir, { recursive: true, force: true })
  })

  const start = async (): Promise<Hub> => {
    const hub = createHub(loadConfig({
      TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: process.env.TSUDOI_TEST_LOG ?? 'silent',
      TSUDOI_SYNC: 'normal', TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on', TSUDOI_ALERT_RETRY: '50ms', TSUDOI_ALERT_MAX_ATTEMPTS: '100'
    }))
    await hub.start()
    hubs.push(hub)
    return hub
  }
  const stop = async (hub: Hub): Promise<void> => {
    await hub.stop()
    hubs.splice(hubs.indexOf(hub), 1)
  }
  const api = async (hub: Hub, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${hub.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: response.status, body: await response.json() }
  }
  const publish = async (hub: Hub, device: { id: string, token: string }, temperature: number): Promise<void> => {
    const client = await connectDevice(hub.mqttUrl, device.id, device.token)
    await client.publishAsync(`tsudoi/alice/${device.id}/telemetry`, JSON.stringify({ temperature }), { qos: 1 })
    await client.endAsync()
  }

  it('delivers what the first hub owed, does not fire twice, and never resends what was delivered', async () => {
    // Where the webhook will listen, closed for now.
    const probe = await startReceiver()
    const port = probe.port
    await probe.close()

    let hub = await start()
    const member = await api(hub, '/api/admin/members', hub.adminToken, { id: 'alice', name: 'Alice', sector: 'restaurant' })
    const added = await api(hub, '/api/admin/devices', hub.adminToken, { member: 'alice', name: 'Fridge', id: 'alice-fridge' })
    const device = { id: 'alice-fridge', token: added.body.token as string }
    const key = member.body.accessKey as string
    const rule = await api(hub, '/api/me/alerts', key, {
      name: 'Fridge', device: device.id, metric: 'temperature', condition: { type: 'above', value: 8 }, channels: [{ type: 'webhook', url: `http://127.0.0.1:${port}/` }]
    })
    expect(rule.status).toBe(201)
    await publish(hub, device, 12)
    // The webhook is down: the first attempt failed and the delivery waits in the outbox.
    await until(async () => {
      const [event] = (await api(hub, '/api/me/alerts/events', key)).body.events
      return event?.deliveries[0]?.attempts >= 1 ? true : undefined
    }, 'a failed first attempt')
    await stop(hub)

    const receiver = await startReceiver(() => 200, port)
    try {
      hub = await start()
      const [fired] = await receiver.received(1)
      expect(JSON.parse(fired!.body)).toMatchObject({ rule: rule.body.id, state: 'firing', value: 12 })
      // Still firing after the restart: another reading over the threshold is not a new alert.
      await publish(hub, device, 13)
      const rules = (await api(hub, '/api/me/alerts', key)).body.rules
      expect(rules.map((r: { state: string }) => r.state)).toEqual(['firing'])
      await until(async () => (await api(hub, '/api/me/alerts/events', key)).body.events[0].deliveries[0].status === 'sent' ? true : undefined, 'sent recorded')
      await stop(hub)

      // A third hub: the delivered notification stays delivered. Clearing the alert makes a
      // second request; had the first been owed again it would have gone out before it.
      hub = await start()
      await publish(hub, device, 5)
      const requests: Received[] = await receiver.received(2)
      expect(requests.map((r) => JSON.parse(r.body).state)).toEqual(['firing', 'cleared'])
      await until(async () => (await api(hub, '/api/me/alerts/events', key)).body.events[0].deliveries[0].status === 'sent' ? true : undefined, 'cleared sent')
      expect((await api(hub, '/api/me/alerts/events', key)).body.events.map((e: { kind: string, deliveries: Array<{ status: string }> }) => [e.kind, e.deliveries.map((d) => d.status)]))
        .toEqual([['cleared', ['sent']], ['fired', ['sent']]])
      expect(receiver.requests).toHaveLength(2)
    } finally {
      await receiver.close()
    }
  })
})
