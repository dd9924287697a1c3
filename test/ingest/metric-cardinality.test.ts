import { rmSync } from 'node:fs'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Hub, createHub } from '../../server/hub.ts'
import { type Provisioned, type TestHub, collect, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 5: one device created 200,000 distinct metrics in 65 s. With
// TSUDOI_MAX_METRICS_PER_DEVICE = 3, a fourth metric is refused as TOO_MANY_METRICS while the
// device's known metrics keep flowing, the count survives a restart, and a deleted device
// is forgotten.
describe('distinct metrics per device', () => {
  let t: TestHub
  let hub: Hub // replaced by the restart
  let p: Provisioned
  const clients: MqttClient[] = []
  const base = 'tsudoi/sakaba/sakaba-d1'

  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_MAX_METRICS_PER_DEVICE: '3' })
    hub = t.hub
    p = await provision(t, 'sakaba')
  })
  afterAll(async () => {
    for (const client of clients) client.end(true)
    await hub?.stop()
    if (t !== undefined) rmSync(t.dataDir, { recursive: true, force: true })
  })

  async function api (path: string, method = 'GET', token = hub.adminToken, body?: unknown): Promise<{ status: number, body: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${hub.httpUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
  }

  async function device (id = p.device.id, token = p.device.token, prefix = base) {
    const client = await connectDevice(hub.mqttUrl, id, token)
    clients.push(client)
    const errors = collect(client, `${prefix}/errors`)
    await client.subscribeAsync(`${prefix}/errors`, { qos: 0 })
    return { client, errors }
  }

  async function stored (metric: string, deviceId = p.device.id): Promise<number[]> {
    const { body } = await api(`/api/me/readings?metric=${metric}&device=${deviceId}&limit=100`, 'GET', p.member.accessKey)
    return body.readings.map((r: { value: number }) => r.value)
  }

  it('refuses a new metric past the cap and keeps storing the known ones', async () => {
    const { client, errors } = await device()
    await client.publishAsync(`${base}/telemetry`, '{"m_a": 1, "m_b": 2, "m_c": 3}', { qos: 1 })
    await client.publishAsync(`${base}/telemetry`, '{"m_d": 4, "m_a": 5}', { qos: 1 })
    expect(await errors.next()).toEqual({
      code: 'TOO_MANY_METRICS',
      message: 'm_d: device sakaba-d1 already has 3 metrics, the most the hub keeps per device (TSUDOI_MAX_METRICS_PER_DEVICE)',
      topic: `${base}/telemetry`,
      time: expect.any(Number)
    })
    await client.publishAsync(`${base}/m_e`, '6', { qos: 1 })
    expect((await errors.next()).code).toBe('TOO_MANY_METRICS')
    expect(await stored('m_a')).toEqual([5, 1])
    expect(await stored('m_d')).toEqual([])
    expect(await stored('m_e')).toEqual([])
    const metrics = await api('/api/me/metrics', 'GET', p.member.accessKey)
    expect(JSON.stringify(metrics.body)).not.toMatch(/m_d|m_e/)
    expect(client.connected).toBe(true)
  })

  it('counts each device on its own', async () => {
    const other = await api('/api/admin/devices', 'POST', undefined, { member: 'sakaba', name: 'Second', id: 'sakaba-d2' })
    const { client, errors } = await device('sakaba-d2', other.body.token, 'tsudoi/sakaba/sakaba-d2')
    await client.publishAsync('tsudoi/sakaba/sakaba-d2/telemetry', '{"m_x": 1, "m_y": 2, "m_z": 3}', { qos: 1 })
    expect(await stored('m_z', 'sakaba-d2')).toEqual([3])
    expect(errors.messages).toEqual([])
  })

  it('keeps the count across a restart (seeded from the store)', async () => {
    for (const client of clients.splice(0)) client.end(true)
    await hub.stop()
    hub = createHub(hub.config, {})
    await hub.start()
    const { client, errors } = await device()
    await client.publishAsync(`${base}/telemetry`, '{"m_f": 7, "m_b": 8}', { qos: 1 })
    expect((await errors.next()).message).toMatch(/^m_f: device sakaba-d1 already has 3 metrics/)
    expect(await stored('m_b')).toEqual([8, 2])
    expect(await stored('m_f')).toEqual([])
  })

  it('forgets a deleted device: created again under its id, it starts from none', async () => {
    for (const client of clients.splice(0)) client.end(true)
    expect((await api(`/api/admin/devices/${p.device.id}`, 'DELETE')).status).toBe(204)
    const again = await api('/api/admin/devices', 'POST', undefined, { member: 'sakaba', name: 'Again', id: p.device.id })
    expect(again.status).toBe(201)
    const { client, errors } = await device(p.device.id, again.body.token)
    await client.publishAsync(`${base}/telemetry`, '{"m_g": 1, "m_h": 2, "m_i": 3}', { qos: 1 })
    expect(await stored('m_i')).toEqual([3])
    expect(errors.messages).toEqual([])
  })

  it('does not forget a device whose token was only rotated', async () => {
    for (const client of clients.splice(0)) client.end(true)
    const rotated = await api(`/api/admin/devices/${p.device.id}/token`, 'POST', undefined, {})
    const { client, errors } = await device(p.device.id, rotated.body.token)
    await client.publishAsync(`${base}/telemetry`, '{"m_j": 1}', { qos: 1 })
    expect((await errors.next()).code).toBe('TOO_MANY_METRICS')
  })
})
