import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { until } from './receivers.ts'

// The MQTT channel: the rule's state, retained, on tsudoi/<member>/alerts/<rule id>. The
// member's own devices (a Home Assistant or Node-RED login among them) may subscribe there;
// no other member's device may, with or without wildcards, and no device may publish there.

describe('alert states over MQTT', () => {
  let t: TestHub
  let alice: Provisioned
  let bob: Provisioned
  let homeAssistant: { id: string, token: string }
  const clients: MqttClient[] = []

  beforeAll(async () => {
    t = await startTestHub()
    alice = await provision(t, 'alice')
    bob = await provision(t, 'bob')
    const ha = await t.admin('/api/admin/devices', { member: 'alice', name: 'Home Assistant', id: 'alice-ha' })
    homeAssistant = { id: 'alice-ha', token: ha.body.token }
  })
  afterAll(async () => {
    for (const client of clients) await client.endAsync().catch(() => {})
    await t.stop()
  })

  const connect = async (id: string, token: string): Promise<MqttClient> => {
    const client = await connectDevice(t.hub.mqttUrl, id, token)
    clients.push(client)
    return client
  }
  /** The SUBACK's return code: the granted QoS, or 128 (mqtt.js rejects a refused subscription). */
  const granted = async (client: MqttClient, filter: string): Promise<number> => {
    try {
      return (await client.subscribeAsync(filter, { qos: 1 }))[0]!.qos
    } catch (error) {
      const codes = (error as { packet?: { granted?: number[] } }).packet?.granted
      if (codes === undefined) throw error
      return codes[0]!
    }
  }

  it('lets the member\'s own devices subscribe, refuses every other member\'s device, wildcards included', async () => {
    const ha = await connect(homeAssistant.id, homeAssistant.token)
    expect(await granted(ha, 'tsudoi/alice/alerts/#')).toBe(1)
    expect(await granted(ha, 'tsudoi/alice/alerts/+')).toBe(1)
    const intruder = await connect(bob.device.id, bob.device.token)
    for (const filter of ['tsudoi/alice/alerts/#', 'tsudoi/alice/alerts/+', 'tsudoi/+/alerts/#', 'tsudoi/alice/#', '#', '+/alice/alerts/#']) {
      expect(await granted(intruder, filter), filter).toBe(128)
    }
    // Bob's own alerts: his, not Alice's.
    expect(await granted(intruder, 'tsudoi/bob/alerts/#')).toBe(1)
  })

  it('keeps the device id "alerts" for the alert topics: such a device would own tsudoi/<member>/alerts/', async () => {
    expect(await t.admin('/api/admin/devices', { member: 'alice', name: 'Alerts', id: 'alerts' })).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'id: alerts is kept for the member\'s alert topics (tsudoi/<member>/alerts/)', details: { fields: [{ field: 'id', message: 'alerts is kept for the member\'s alert topics (tsudoi/<member>/alerts/)' }] } } }
    })
  })

  it('publishes the state retained; a device cannot write there; a late subscriber reads the current state', async () => {
    const ha = await connect(homeAssistant.id, homeAssistant.token)
    const seen: Array<{ topic: string, body: unknown, retain: boolean }> = []
    ha.on('message', (topic, payload, packet) => { if (payload.length > 0) seen.push({ topic, body: JSON.parse(payload.toString()), retain: packet.retain }) })
    await ha.subscribeAsync('tsudoi/alice/alerts/#', { qos: 1 })
    const bobSide: string[] = []
    const intruder = await connect(bob.device.id, bob.device.token)
    intruder.on('message', (topic) => bobSide.push(topic))
    expect(await granted(intruder, 'tsudoi/+/alerts/#')).toBe(128)

    const created = await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: { name: 'Battery low', device: alice.device.id, condition: { type: 'battery', value: 20 }, channels: [{ type: 'mqtt' }] }
    })
    expect(created.status).toBe(201)
    expect(created.body.metric).toBe('battery')
    const topic = `tsudoi/alice/alerts/${created.body.id}`
    const sensor = await connect(alice.device.id, alice.device.token)
    // The sensor itself trying to write an alert state: refused, routed to nobody.
    await sensor.publishAsync(topic, JSON.stringify({ state: 'cleared', forged: true }), { qos: 1 })
    await sensor.publishAsync(`tsudoi/alice/${alice.device.id}/telemetry`, JSON.stringify({ battery: 12 }), { qos: 1 })
    await until(() => seen.length > 0 ? true : undefined, 'the alert state')
    expect(seen).toEqual([{
      topic,
      body: { alert: expect.any(String), rule: created.body.id, name: 'Battery low', state: 'firing', device: alice.device.id, metric: 'battery', value: 12, time: expect.any(Number) },
      retain: false
    }])

    const late = await connect(homeAssistant.id, homeAssistant.token)
    const retained = new Promise<{ topic: string, body: unknown, retain: boolean }>((resolve) => {
      late.on('message', (t2, payload, packet) => { if (payload.length > 0) resolve({ topic: t2, body: JSON.parse(payload.toString()), retain: packet.retain }) })
    })
    await late.subscribeAsync(topic, { qos: 1 })
    expect(await retained).toEqual({ ...seen[0], retain: true })
    expect(bobSide).toEqual([])

    // Deleting the rule removes its retained state: subscribers get the zero-length message [MQTT-3.3.1-10].
    const removed = new Promise<{ topic: string, bytes: number }>((resolve) => {
      late.on('message', (t2, payload) => resolve({ topic: t2, bytes: payload.length }))
    })
    expect((await t.api(`/api/me/alerts/${created.body.id}`, { token: alice.member.accessKey, method: 'DELETE' })).status).toBe(204)
    expect(await removed).toEqual({ topic, bytes: 0 })
  })
})
