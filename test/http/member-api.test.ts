import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

const HOUR = 3_600_000

describe('member API', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned
  const t0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR

  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'ryokan-a', 'accommodation')
    b = await provision(t, 'ryokan-b', 'accommodation')
    const ca = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
    const cb = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token)
    // Member A: power 100, 200 in the first hour, 300 in the second; member B: 5000.
    await ca.publishAsync(a.device.topic, JSON.stringify([
      { power: 100, ts: t0 }, { power: 200, ts: t0 + 30 * 60_000 }, { power: 300, ts: t0 + HOUR }
    ]), { qos: 1 })
    await ca.publishAsync('tsudoi/ryokan-a/ryokan-a-d1/temperature', '40.5', { qos: 1 })
    await cb.publishAsync(b.device.topic, JSON.stringify({ power: 5000, ts: t0 }), { qos: 1 })
    ca.end(true); cb.end(true)
  })
  afterAll(async () => { await t?.stop() })

  it('shows the member and its devices', async () => {
    const me = await t.api('/api/me', { token: a.member.accessKey })
    expect(me.body).toEqual({
      member: expect.objectContaining({ id: 'ryokan-a', sector: 'accommodation' }),
      devices: [expect.objectContaining({ id: 'ryokan-a-d1', online: false, lastSeen: expect.any(Number), battery: null })],
      mqtt: { host: '127.0.0.1', port: t.hub.mqttPort, wsUrl: `ws://127.0.0.1:${t.hub.httpPort}/mqtt` }
    })
  })

  it('returns raw readings newest first, filtered, in the member\'s own scope only', async () => {
    const all = await t.api(`/api/me/readings?from=${t0}&metric=power`, { token: a.member.accessKey })
    expect(all.body.readings).toEqual([
      { time: t0 + HOUR, device: 'ryokan-a-d1', metric: 'power', value: 300 },
      { time: t0 + 30 * 60_000, device: 'ryokan-a-d1', metric: 'power', value: 200 },
      { time: t0, device: 'ryokan-a-d1', metric: 'power', value: 100 }
    ])
    const limited = await t.api(`/api/me/readings?from=${new Date(t0).toISOString()}&metric=power&limit=1`, { token: a.member.accessKey })
    expect(limited.body.readings).toHaveLength(1)
    const relative = await t.api('/api/me/readings?from=-1h&metric=temperature', { token: a.member.accessKey })
    expect(relative.body.readings).toEqual([{ time: expect.any(Number), device: 'ryokan-a-d1', metric: 'temperature', value: 40.5 }])
  })

  it('never shows one member another member\'s readings, by any path', async () => {
    const queries = [
      `/api/me/readings?from=${t0}`, `/api/me/readings?from=${t0}&device=ryokan-a-d1`,
      `/api/me/series?metric=power&from=${t0}&bucket=1h`, `/api/me/series?metric=power&from=${t0}&bucket=1h&device=ryokan-a-d1`,
      `/api/me/readings.csv?from=${t0}`, '/api/me/metrics'
    ]
    for (const path of queries) {
      const response = await t.api(path, { token: b.member.accessKey })
      expect(response.status).toBe(200)
      const text = JSON.stringify(response.body)
      expect(text).not.toContain('ryokan-a')
      expect(text).not.toMatch(/\b(100|200|300|40\.5)\b/)
    }
  })

  it('buckets in the store: mean, min, max and count per hour', async () => {
    const series = await t.api(`/api/me/series?metric=power&from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`, { token: a.member.accessKey })
    expect(series.body).toEqual({
      metric: 'power', unit: 'W', bucket: HOUR,
      points: [
        { time: t0, mean: 150, min: 100, max: 200, count: 2 },
        { time: t0 + HOUR, mean: 300, min: 300, max: 300, count: 1 }
      ]
    })
    const fine = await t.api(`/api/me/series?metric=power&from=${t0}&to=${t0 + 2 * HOUR}&bucket=30m`, { token: a.member.accessKey })
    expect(fine.body.points.map((p: { time: number, mean: number }) => [p.time - t0, p.mean])).toEqual([[0, 100], [30 * 60_000, 200], [HOUR, 300]])
  })

  it('lists the metrics a member has sent and exports CSV', async () => {
    expect((await t.api('/api/me/metrics', { token: a.member.accessKey })).body.metrics).toEqual([
      { metric: 'power', unit: 'W', kind: 'gauge' }, { metric: 'temperature', unit: '°C', kind: 'gauge' }
    ])
    const csv = await t.api(`/api/me/readings.csv?from=${t0}&metric=power`, { token: a.member.accessKey })
    expect(csv.body).toBe(`time,device,metric,value\r\n${new Date(t0 + HOUR).toISOString()},ryokan-a-d1,power,300\r\n${new Date(t0 + 30 * 60_000).toISOString()},ryokan-a-d1,power,200\r\n${new Date(t0).toISOString()},ryokan-a-d1,power,100\r\n`)
  })

  it('validates query parameters', async () => {
    const bad = await t.api('/api/me/series?metric=power&bucket=5x&from=yesterday', { token: a.member.accessKey })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['bucket', 'from'])
    expect((await t.api('/api/me')).status).toBe(401)
  })

  it('shows each device\'s latest battery level', async () => {
    const second = await t.admin('/api/admin/devices', { member: 'ryokan-b', name: 'Door sensor', id: 'ryokan-b-door' })
    const door = await connectDevice(t.hub.mqttUrl, 'ryokan-b-door', second.body.token)
    await door.publishAsync(second.body.mqtt.topic, JSON.stringify([{ battery: 91, ts: Date.now() - 60_000 }, { battery: 90, ts: Date.now() - 1000 }]), { qos: 1 })
    door.end(true)
    const me = await t.api('/api/me', { token: b.member.accessKey })
    expect(me.body.devices.map((d: { id: string, battery: number | null }) => [d.id, d.battery])).toEqual([['ryokan-b-d1', null], ['ryokan-b-door', 90]])
  })

  it('opens an HttpOnly session cookie for the dashboard', async () => {
    const response = await fetch(`${t.hub.httpUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessKey: a.member.accessKey }) })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/tsudoi_session=.+; .*HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).not.toContain(a.member.accessKey)
    const me = await fetch(`${t.hub.httpUrl}/api/me`, { headers: { cookie: cookie.split(';')[0]! } })
    expect((await me.json()).member.id).toBe('ryokan-a')
    const wrong = await t.api('/api/session', { body: { accessKey: 'tsk_wrong' } })
    expect(wrong.status).toBe(401)
  })
})
