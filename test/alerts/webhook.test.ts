import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { startReceiver, until } from './receivers.ts'

// Real MQTT publishes crossing a threshold → the webhook a member set up receives a signed
// POST (docs/alerts.md): evaluated as the readings are stored, delivered through the outbox.

/** A hub with one member, alice, and a webhook receiver on 127.0.0.1 (so private webhooks are allowed), for one describe block. */
function hubWithReceiver (): { t: TestHub, alice: Provisioned, receiver: Awaited<ReturnType<typeof startReceiver>> } {
  const fixture = {} as { t: TestHub, alice: Provisioned, receiver: Awaited<ReturnType<typeof startReceiver>> }
  beforeAll(async () => {
    fixture.receiver = await startReceiver()
    fixture.t = await startTestHub({ TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on' })
    fixture.alice = await provision(fixture.t, 'alice')
  })
  afterAll(async () => {
    await fixture.t.stop()
    await fixture.receiver.close()
  })
  return fixture
}

describe('a threshold alert delivered by webhook', () => {
  const fixture = hubWithReceiver()

  it('fires once when a reading crosses it, stays quiet inside the hysteresis margin, clears past it; each POST is signed with the rule\'s key', async () => {
    const { t, alice, receiver } = fixture
    const created = await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: {
        name: 'Fridge too warm', device: alice.device.id, metric: 'temperature',
        condition: { type: 'above', value: 8 }, hysteresis: 1, channels: [{ type: 'webhook', url: `${receiver.url}/hook?k=1` }]
      }
    })
    expect(created.status).toBe(201)
    const rule = created.body
    expect(rule).toEqual({
      id: expect.stringMatching(/^al[0-9a-f]{16}$/),
      name: 'Fridge too warm',
      device: alice.device.id,
      metric: 'temperature',
      condition: { type: 'above', value: 8, minutes: 0 },
      channels: [{ type: 'webhook', url: `${receiver.url}/hook?k=1` }],
      hysteresis: 1,
      repeatMinutes: null,
      enabled: true,
      createdAt: expect.any(Number),
      state: 'ok',
      acknowledged: false,
      secret: expect.stringMatching(/^tsw_[A-Za-z0-9_-]{43}$/)
    })
    // The key is shown once: reading the rule again does not give it.
    const again = await t.api(`/api/me/alerts/${rule.id}`, { token: alice.member.accessKey })
    expect(again.body.secret).toBeUndefined()

    const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    const topic = `tsudoi/alice/${alice.device.id}/telemetry`
    for (const temperature of [5, 9.5, 9, 7.5]) await device.publishAsync(topic, JSON.stringify({ temperature }), { qos: 1 })
    const [fired] = await receiver.received(1)
    // 7.5 is back under 8 but not by the 1 °C margin: still firing, nothing more sent.
    await device.publishAsync(topic, JSON.stringify({ temperature: 6.9 }), { qos: 1 })
    const [, cleared] = await receiver.received(2)
    await device.endAsync()

    for (const [request, state, value] of [[fired!, 'firing', 9.5], [cleared!, 'cleared', 6.9]] as const) {
      expect(request.method).toBe('POST')
      expect(request.url).toBe('/hook?k=1')
      expect(request.headers['content-type']).toBe('application/json')
      const body = JSON.parse(request.body)
      expect(body).toEqual({ alert: expect.any(String), rule: rule.id, name: 'Fridge too warm', state, device: alice.device.id, metric: 'temperature', value, time: expect.any(Number) })
      const timestamp = request.headers['x-tsudoi-timestamp'] as string
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(600)
      const expected = `sha256=${createHmac('sha256', rule.secret).update(`${timestamp}.${request.body}`).digest('hex')}`
      expect(request.headers['x-tsudoi-signature']).toBe(expected)
    }
    expect(receiver.requests).toHaveLength(2)

    const events = await until(async () => {
      const r = await t.api('/api/me/alerts/events', { token: alice.member.accessKey })
      return r.body.events.every((e: { deliveries: Array<{ status: string }> }) => e.deliveries.every((d) => d.status === 'sent')) ? r.body.events : undefined
    }, 'both deliveries recorded as sent')
    expect(events).toEqual([
      { id: JSON.parse(cleared!.body).alert, rule: rule.id, name: 'Fridge too warm', kind: 'cleared', device: alice.device.id, metric: 'temperature', value: 6.9, time: expect.any(Number), deliveries: [{ channel: 'webhook', status: 'sent', attempts: 1, error: null, sentAt: expect.any(Number) }] },
      { id: JSON.parse(fired!.body).alert, rule: rule.id, name: 'Fridge too warm', kind: 'fired', device: alice.device.id, metric: 'temperature', value: 9.5, time: expect.any(Number), deliveries: [{ channel: 'webhook', status: 'sent', attempts: 1, error: null, sentAt: expect.any(Number) }] }
    ])
  })
})

describe('an offline alert and a disabled rule', () => {
  const fixture = hubWithReceiver()

  it('fires when the device disconnects and clears when it is back; a disabled rule says nothing until enabled again', async () => {
    const { t, alice, receiver } = fixture
    let device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    const created = await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: { name: 'Gone', device: alice.device.id, condition: { type: 'offline' }, channels: [{ type: 'webhook', url: `${receiver.url}/offline` }] }
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ metric: null, condition: { type: 'offline', value: null, minutes: 0 }, state: 'ok' })
    await device.endAsync()
    const [gone] = await receiver.received(1)
    device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    const [, back] = await receiver.received(2)
    expect([JSON.parse(gone!.body), JSON.parse(back!.body)]).toEqual([
      { alert: expect.any(String), rule: created.body.id, name: 'Gone', state: 'firing', device: alice.device.id, metric: null, value: null, time: expect.any(Number) },
      { alert: expect.any(String), rule: created.body.id, name: 'Gone', state: 'cleared', device: alice.device.id, metric: null, value: null, time: expect.any(Number) }
    ])

    const off = await t.api(`/api/me/alerts/${created.body.id}`, { token: alice.member.accessKey, method: 'PATCH', body: { enabled: false } })
    expect(off.body).toMatchObject({ enabled: false, state: 'ok' })
    await device.endAsync()
    device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    // Enabled again while the device is online: nothing; then a disconnect fires. Had the
    // disabled rule seen the first disconnect, its firing would have come before this one.
    const on = await t.api(`/api/me/alerts/${created.body.id}`, { token: alice.member.accessKey, method: 'PATCH', body: { enabled: true, name: 'Gone again' } })
    expect(on.body).toMatchObject({ enabled: true, name: 'Gone again', state: 'ok' })
    await device.endAsync()
    const [, , third] = await receiver.received(3)
    expect(JSON.parse(third!.body)).toMatchObject({ name: 'Gone again', state: 'firing' })
    expect(receiver.requests).toHaveLength(3)
  })
})
