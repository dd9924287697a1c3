import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { type Hub, createHub } from '../../server/hub.ts'
import { connectDevice } from '../helpers/hub.ts'
import { until } from './receivers.ts'

// aedes keeps retained messages in memory: after a restart the MQTT channel's topic would be
// empty until the alert changed. The hub publishes each rule's last delivered state again.

describe('retained alert states after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-alerts-retained-'))
  let hub: Hub | undefined
  afterAll(async () => {
    await hub?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const start = async (): Promise<Hub> => {
    const started = createHub(loadConfig({
      TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: process.env.TSUDOI_TEST_LOG ?? 'silent', TSUDOI_SYNC: 'normal'
    }))
    await started.start()
    return started
  }
  const call = async (path: string, token: string, body?: unknown) => {
    const response = await fetch(`${hub!.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return await response.json()
  }
  const retained = async (device: { id: string, token: string }, topic: string) => {
    const client = await connectDevice(hub!.mqttUrl, device.id, device.token)
    const message = new Promise<{ body: unknown, retain: boolean }>((resolve) => {
      client.on('message', (_t, payload, packet) => resolve({ body: JSON.parse(payload.toString()), retain: packet.retain }))
    })
    await client.subscribeAsync(topic, { qos: 1 })
    const got = await message
    await client.endAsync()
    return got
  }

  it('a subscriber after the restart reads the state the rule was in', async () => {
    hub = await start()
    const key = (await call('/api/admin/members', hub.adminToken, { id: 'alice', name: 'Alice', sector: 'aquaculture' })).accessKey as string
    const sensor = { id: 'pen-1', token: (await call('/api/admin/devices', hub.adminToken, { member: 'alice', name: 'Pen 1', id: 'pen-1' })).token as string }
    const rule = await call('/api/me/alerts', key, { name: 'DO low', device: 'pen-1', metric: 'dissolved_oxygen', condition: { type: 'below', value: 4 }, channels: [{ type: 'mqtt' }] })
    const client = await connectDevice(hub.mqttUrl, sensor.id, sensor.token)
    await client.publishAsync('tsudoi/alice/pen-1/dissolved_oxygen', '3.1', { qos: 1 })
    await client.endAsync()
    // Delivered first, so the subscription below reads the retained copy, not the live one.
    await until(async () => (await call('/api/me/alerts/events', key)).events[0]?.deliveries[0]?.status === 'sent' ? true : undefined, 'the MQTT delivery')
    const topic = `tsudoi/alice/alerts/${rule.id}`
    const before = await retained(sensor, topic)
    expect(before).toEqual({ retain: true, body: expect.objectContaining({ rule: rule.id, state: 'firing', value: 3.1 }) })

    await hub.stop()
    hub = await start()
    expect(await retained(sensor, topic)).toEqual(before)
  })
})
