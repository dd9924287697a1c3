import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { startReceiver, until } from './receivers.ts'

// /api/me/alerts as another member, an anonymous visitor and a careless or hostile member
// would use it: nobody reads, changes or acknowledges another's rules and events, nor makes
// an alert out of another member's data, nor points the hub's requests at its own network.

describe('alert rules belong to their member', () => {
  let t: TestHub
  let alice: Provisioned
  let bob: Provisioned
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const rule = (device: string, url: string) => ({
    name: 'Too warm', device, metric: 'temperature', condition: { type: 'above', value: 8 }, channels: [{ type: 'webhook', url }]
  })

  beforeAll(async () => {
    receiver = await startReceiver()
    t = await startTestHub({ TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on' })
    alice = await provision(t, 'alice')
    bob = await provision(t, 'bob')
  })
  afterAll(async () => {
    await t.stop()
    await receiver.close()
  })

  it('a member naming another member\'s device gets 404, as for a device that does not exist, and no rule is made', async () => {
    const notFound = (id: string) => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: `no device ${id} of yours` } } })
    expect(await t.api('/api/me/alerts', { token: bob.member.accessKey, body: rule(alice.device.id, receiver.url) })).toEqual(notFound(alice.device.id))
    expect(await t.api('/api/me/alerts', { token: bob.member.accessKey, body: rule('no-such-device', receiver.url) })).toEqual(notFound('no-such-device'))
    expect((await t.api('/api/me/alerts', { token: bob.member.accessKey })).body).toEqual({ rules: [] })
  })

  it('a rule on each of a member\'s devices never hears another member\'s readings', async () => {
    const all = await t.api('/api/me/alerts', {
      token: bob.member.accessKey,
      body: { name: 'Any too warm', metric: 'temperature', condition: { type: 'above', value: 8 }, channels: [{ type: 'webhook', url: `${receiver.url}/bob` }] }
    })
    expect(all.status).toBe(201)
    const own = await t.api('/api/me/alerts', { token: alice.member.accessKey, body: rule(alice.device.id, `${receiver.url}/alice`) })
    expect(own.status).toBe(201)
    const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    await device.publishAsync(`tsudoi/alice/${alice.device.id}/telemetry`, JSON.stringify({ temperature: 30 }), { qos: 1 })
    await device.endAsync()
    await receiver.received(1)
    // Alice's alert went out; Bob's rule saw nothing (its events are empty, and nothing went to /bob).
    await until(async () => (await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body.events[0]?.deliveries[0]?.status === 'sent' ? true : undefined, 'alice\'s delivery')
    expect(receiver.requests.map((r) => r.url)).toEqual(['/alice'])
    expect((await t.api('/api/me/alerts/events', { token: bob.member.accessKey })).body).toEqual({ events: [] })
    expect((await t.api(`/api/me/alerts/${all.body.id}`, { token: bob.member.accessKey })).body.state).toBe('ok')
  })

  it('another member\'s rule and event answer 404 to reading, changing, deleting and acknowledging; anonymous gets 401', async () => {
    const [aliceRule] = (await t.api('/api/me/alerts', { token: alice.member.accessKey })).body.rules
    const [aliceEvent] = (await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body.events
    expect(aliceRule.state).toBe('firing')
    const bobs = { token: bob.member.accessKey }
    const noRule = { status: 404, body: { error: { code: 'NOT_FOUND', message: `no alert rule ${aliceRule.id}` } } }
    expect(await t.api(`/api/me/alerts/${aliceRule.id}`, bobs)).toEqual(noRule)
    expect(await t.api(`/api/me/alerts/${aliceRule.id}`, { ...bobs, method: 'PATCH', body: { enabled: false } })).toEqual(noRule)
    expect(await t.api(`/api/me/alerts/${aliceRule.id}`, { ...bobs, method: 'DELETE' })).toEqual(noRule)
    expect(await t.api(`/api/me/alerts/events/${aliceEvent.id}/ack`, { ...bobs, method: 'POST' }))
      .toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: `no alert event ${aliceEvent.id}` } } })
    // Alice's rule is as it was: enabled, firing, not acknowledged.
    const after = (await t.api(`/api/me/alerts/${aliceRule.id}`, { token: alice.member.accessKey })).body
    expect({ enabled: after.enabled, state: after.state, acknowledged: after.acknowledged }).toEqual({ enabled: true, state: 'firing', acknowledged: false })

    const anonymous = { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'a member access key is required' } } }
    expect(await t.api('/api/me/alerts')).toEqual(anonymous)
    expect(await t.api('/api/me/alerts', { body: { nonsense: true } })).toEqual(anonymous)
    expect(await t.api('/api/me/alerts/events')).toEqual(anonymous)
    expect(await t.api(`/api/me/alerts/events/${aliceEvent.id}/ack`, { method: 'POST' })).toEqual(anonymous)
    expect(await t.api('/api/admin/alerts/dead-letters')).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'the admin token is required' } } })
    expect(await t.api('/api/admin/alerts/dead-letters', { token: alice.member.accessKey })).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'the admin token is required' } } })
  })

  it('the member acknowledges its own firing alert (twice is once); once it cleared, acknowledging it is a conflict', async () => {
    const [event] = (await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body.events
    expect(await t.api(`/api/me/alerts/events/${event.id}/ack`, { token: alice.member.accessKey, method: 'POST' })).toEqual({ status: 204, body: '' })
    const [rule] = (await t.api('/api/me/alerts', { token: alice.member.accessKey })).body.rules
    expect({ state: rule.state, acknowledged: rule.acknowledged }).toEqual({ state: 'firing', acknowledged: true })
    expect(await t.api(`/api/me/alerts/events/${event.id}/ack`, { token: alice.member.accessKey, method: 'POST' })).toEqual({ status: 204, body: '' })
    const kinds = async () => (await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body.events.map((e: { kind: string }) => e.kind)
    expect(await kinds()).toEqual(['acknowledged', 'fired'])
    const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    await device.publishAsync(`tsudoi/alice/${alice.device.id}/telemetry`, JSON.stringify({ temperature: 4 }), { qos: 1 })
    await device.endAsync()
    expect(await kinds()).toEqual(['cleared', 'acknowledged', 'fired'])
    expect(await t.api(`/api/me/alerts/events/${event.id}/ack`, { token: alice.member.accessKey, method: 'POST' }))
      .toEqual({ status: 409, body: { error: { code: 'CONFLICT', message: 'this alert is no longer firing' } } })
  })

  it('refuses what it cannot honour: a missing threshold, e-mail and LINE on a hub without them, a webhook that is not http(s)', async () => {
    const post = (body: unknown) => t.api('/api/me/alerts', { token: alice.member.accessKey, body })
    const base = { name: 'x', device: alice.device.id, metric: 'temperature' }
    const field = async (body: unknown) => { const r = await post(body); return [r.status, r.body.error?.details?.fields?.map((f: { field: string, message: string }) => `${f.field}: ${f.message}`)] }
    expect(await field({ ...base, condition: { type: 'above' }, channels: [{ type: 'mqtt' }] })).toEqual([400, ['condition.value: a above condition needs a value']])
    expect(await field({ ...base, condition: { type: 'silent' }, channels: [{ type: 'mqtt' }] })).toEqual([400, ['condition.minutes: a silent condition needs minutes above 0']])
    expect(await field({ ...base, condition: { type: 'rate', value: 0 }, channels: [{ type: 'mqtt' }] })).toEqual([400, ['condition.value: a rate is a change per minute above 0']])
    expect((await post({ ...base, condition: { type: 'rate', value: 2, minutes: 1 }, hysteresis: 0.5, channels: [{ type: 'mqtt' }] })).body)
      .toMatchObject({ metric: 'temperature', condition: { type: 'rate', value: 2, minutes: 1 }, hysteresis: 0.5, state: 'ok' })
    expect(await field({ ...base, condition: { type: 'above', value: 1 }, channels: [{ type: 'email', to: 'a@example.jp' }] }))
      .toEqual([400, ['channels.0: this hub sends no e-mail (TSUDOI_SMTP_URL and TSUDOI_SMTP_FROM are not set)']])
    expect(await field({ ...base, condition: { type: 'above', value: 1 }, channels: [{ type: 'line', to: `U${'0'.repeat(32)}` }] }))
      .toEqual([400, ['channels.0: this hub sends no LINE messages (TSUDOI_LINE_CHANNEL_TOKEN is not set)']])
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:25/', 'ftp://example.jp/x', 'http://user:pass@example.jp/', 'javascript:alert(1)']) {
      expect(await field({ ...base, condition: { type: 'above', value: 1 }, channels: [{ type: 'webhook', url }] }), url)
        .toEqual([400, ['channels.0.url: must be an http:// or https:// URL without user:password']])
    }
    expect(await field({ ...base, metric: 'no_such_metric_here', condition: { type: 'above', value: 1 }, channels: [{ type: 'mqtt' }] }))
      .toEqual([400, ['metric: no_such_metric_here is neither a catalogue metric nor one your devices have sent']])
  })
})

describe('webhooks to the hub\'s own network are refused by default (SSRF)', () => {
  let t: TestHub
  let alice: Provisioned
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    receiver = await startReceiver()
    t = await startTestHub({ TSUDOI_ALERT_RETRY: '10ms', TSUDOI_ALERT_MAX_ATTEMPTS: '2' })
    alice = await provision(t, 'alice')
  })
  afterAll(async () => {
    await t.stop()
    await receiver.close()
  })

  it('an address that is not public is refused when the rule is saved, and a name that resolves to one is refused when sending', async () => {
    for (const url of [receiver.url, 'http://10.0.0.1/', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8080/api/admin/members', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.0.0.1/', 'http://[fd00::1]/', 'http://100.64.0.1/']) {
      const r = await t.api('/api/me/alerts', { token: alice.member.accessKey, body: { name: 'x', device: alice.device.id, metric: 'temperature', condition: { type: 'above', value: 1 }, channels: [{ type: 'webhook', url }] } })
      expect([r.status, r.body.error.message], url).toEqual([400, 'channels.0.url: the hub sends webhooks to public addresses only (TSUDOI_ALERT_WEBHOOK_PRIVATE=on allows private ones)'])
    }
    // A DNS name is checked on the address the connection is made to: localtest.me-like names
    // are not needed, 127.0.0.1.nip.io would need the Internet; the hub's own host name does it.
    const { hostname } = await import('node:os')
    const port = new URL(receiver.url).port
    const created = await t.api('/api/me/alerts', { token: alice.member.accessKey, body: { name: 'x', device: alice.device.id, metric: 'temperature', condition: { type: 'above', value: 1 }, channels: [{ type: 'webhook', url: `http://${hostname()}:${port}/` }] } })
    expect(created.status).toBe(201)
    const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    await device.publishAsync(`tsudoi/alice/${alice.device.id}/telemetry`, JSON.stringify({ temperature: 30 }), { qos: 1 })
    await device.endAsync()
    const dead = await until(async () => {
      const r = await t.admin('/api/admin/alerts/dead-letters')
      return r.body.deadLetters.length > 0 ? r.body.deadLetters : undefined
    }, 'the delivery to dead letters')
    expect(dead).toEqual([{
      id: expect.any(String), member: 'alice', rule: created.body.id, event: expect.any(String), channel: 'webhook',
      target: `http://${hostname().toLowerCase()}:${port}`, attempts: 2, error: `${hostname()} is not a public address (TSUDOI_ALERT_WEBHOOK_PRIVATE=on allows it)`,
      createdAt: expect.any(Number), lastAttemptAt: expect.any(Number)
    }])
    expect(receiver.requests).toEqual([])
  })
})

describe('a deleted device takes its rules with it', () => {
  let t: TestHub
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    receiver = await startReceiver()
    t = await startTestHub({ TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on' })
  })
  afterAll(async () => {
    await t.stop()
    await receiver.close()
  })

  it('another member who registers the freed device id inherits no rule: its readings alert nobody', async () => {
    const alice = await provision(t, 'alice', 'restaurant', 'shared-id')
    const created = await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: { name: 'Too warm', device: 'shared-id', metric: 'temperature', condition: { type: 'above', value: 8 }, channels: [{ type: 'webhook', url: `${receiver.url}/alice` }] }
    })
    expect(created.status).toBe(201)
    expect((await t.admin('/api/admin/devices/shared-id', undefined, 'DELETE')).status).toBe(204)
    expect((await t.api('/api/me/alerts', { token: alice.member.accessKey })).body).toEqual({ rules: [] })

    // Bob takes the id; his readings over Alice's old threshold go nowhere.
    const bob = await provision(t, 'bob', 'restaurant', 'shared-id')
    const device = await connectDevice(t.hub.mqttUrl, 'shared-id', bob.device.token)
    await device.publishAsync('tsudoi/bob/shared-id/telemetry', JSON.stringify({ temperature: 30 }), { qos: 1 })
    await device.endAsync()
    expect((await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body).toEqual({ events: [] })
    expect((await t.api('/api/me/alerts/events', { token: bob.member.accessKey })).body).toEqual({ events: [] })
    // Alice's next rule, on a device of hers, still works: the alert machinery was not left broken.
    const d2 = await t.admin('/api/admin/devices', { member: 'alice', name: 'Second', id: 'alice-2' })
    await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: { name: 'Too warm 2', device: 'alice-2', metric: 'temperature', condition: { type: 'above', value: 8 }, channels: [{ type: 'webhook', url: `${receiver.url}/alice-2` }] }
    })
    const second = await connectDevice(t.hub.mqttUrl, 'alice-2', d2.body.token)
    await second.publishAsync('tsudoi/alice/alice-2/telemetry', JSON.stringify({ temperature: 30 }), { qos: 1 })
    await second.endAsync()
    await receiver.received(1)
    expect(receiver.requests.map((r) => r.url)).toEqual(['/alice-2'])
  })
})
