import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

describe('workshop onboarding', () => {
  let t: TestHub
  // The hub's clock runs with real time, plus whatever the test skips ahead.
  let skipped = 0
  const clock = (): number => Date.now() + skipped
  let now = clock()
  beforeAll(async () => { t = await startTestHub({ TSUDOI_JOIN_RATE_LIMIT: '12', TSUDOI_RELEASE_GRACE: '0s' }, { clock }) })
  afterAll(async () => { await t?.stop() })

  const join = (code: string, name: string, sector = 'restaurant') => t.api('/api/join', { body: { code, name, sector } })

  it('creates a workshop with a join code, a join URL and a QR code', async () => {
    const created = await t.admin('/api/admin/workshops', { name: 'IoT 勉強会 11月', expiresAt: now + 3_600_000, maxJoins: 3 })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/), maxJoins: 3, joins: 0, keepMembers: false, keepData: true })
    expect(created.body.joinUrl).toBe(`${t.hub.httpUrl}/#/join/${created.body.code}`)
    const svg = await fetch(`${t.hub.httpUrl}${created.body.qr}`, { headers: { authorization: `Bearer ${t.hub.adminToken}` } })
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg[^>]*>.*<path/s)
    const png = await fetch(`${t.hub.httpUrl}/api/admin/workshops/${created.body.id}/qr.png`, { headers: { authorization: `Bearer ${t.hub.adminToken}` } })
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG')
    expect((await t.api(`/api/admin/workshops/${created.body.id}/qr.svg`)).status).toBe(401)
  })

  it('turns an attendee into a workshop member with a working device, up to the cap', async () => {
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Cap test', expiresAt: now + 3_600_000, maxJoins: 2, sector: 'retail' })).body
    expect((await t.api(`/api/join/${workshop.code}`)).body).toEqual({ name: 'Cap test', sector: 'retail', expiresAt: workshop.expiresAt, open: true })
    const first = await t.api('/api/join', { body: { code: workshop.code.toLowerCase(), name: '島の本屋' } })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      workshop: { id: workshop.id }, member: { sector: 'retail', accessKey: expect.stringMatching(/^tsk_/) },
      device: { token: expect.stringMatching(/^tsd_/), mqtt: { topic: expect.stringMatching(/^tsudoi\/m-[0-9a-f]{6}\/sensor-[0-9a-f]{6}\/telemetry$/) }, setup: { tasmota: expect.stringContaining('Backlog MqttHost') } }
    })
    const client = await connectDevice(t.hub.mqttUrl, first.body.device.id, first.body.device.token)
    await client.publishAsync(first.body.device.mqtt.topic, '{"temperature": 20}', { qos: 1 })
    client.end(true)
    const me = await t.api('/api/me/readings', { token: first.body.member.accessKey })
    expect(me.body.readings).toHaveLength(1)
    expect((await join(workshop.code, 'Second')).status).toBe(201)
    const third = await join(workshop.code, 'Third')
    expect(third.status).toBe(409)
    expect((await t.api(`/api/join/${workshop.code}`)).body.open).toBe(false)
    expect((await join('ZZZZZZ', 'Nobody')).status).toBe(404)
    expect((await t.api('/api/join', { body: { code: workshop.code } })).status).toBe(400)
  })

  it('gives an attendee a device that works whichever firmware they brought', async () => {
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Firmware', expiresAt: now + 3_600_000 })).body
    const attendee = (await join(workshop.code, 'Maker', 'manufacturing')).body
    expect(attendee.device.format).toBe('auto')
    const { id, token, topic } = attendee.device
    const client = await connectDevice(t.hub.mqttUrl, id, token)
    await client.publishAsync(`tele/${topic}/SENSOR`, JSON.stringify({ Time: '2026-11-27T10:00:00', AM2301: { Temperature: 24.5, Humidity: 40.1 }, TempUnit: 'C' }), { qos: 1 })
    await client.publishAsync(`${topic}/sensor/co2/state`, '830', { qos: 1 })
    await client.publishAsync(`${topic}/status/switch:0`, JSON.stringify({ id: 0, apower: 12.5, aenergy: { total: 2500 } }), { qos: 1 })
    await client.publishAsync(attendee.device.mqtt.topic, '{"illuminance": 300}', { qos: 1 })
    client.end(true)
    const { body } = await t.api('/api/me/readings', { token: attendee.member.accessKey })
    expect(Object.fromEntries(body.readings.map((r: { metric: string, value: number }) => [r.metric, r.value])))
      .toEqual({ temperature: 24.5, humidity: 40.1, co2: 830, power: 12.5, energy: 2.5, illuminance: 300 })
  })

  it('compares workshop members among the room only, and ends their access at expiry', async () => {
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Room', expiresAt: now + 60_000, keepData: false })).body
    await provision(t, 'regular-1', 'office')
    const attendees = []
    for (const name of ['A', 'B', 'C']) attendees.push((await join(workshop.code, name, 'office')).body)
    // Comparisons are releases of closed hours (docs/privacy.md): the readings go into the last one.
    const lastHour = Math.floor(clock() / 3_600_000) * 3_600_000 - 1_800_000
    for (const [i, a] of attendees.entries()) {
      const client = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
      await client.publishAsync(a.device.mqtt.topic, JSON.stringify({ co2: 500 + i * 100, ts: lastHour }), { qos: 1 })
      client.end(true)
    }
    await t.hub.releaser.runOnce()
    const room = await t.api('/api/compare?metric=co2&sector=office&from=-1h&bucket=1h', { token: attendees[0].member.accessKey })
    expect(room.body.buckets[0]).toMatchObject({ members: 3, membersBand: '3–4', mean: expect.any(Number), meanInterval: [expect.any(Number), expect.any(Number)] })
    expect(room.body.buckets[0].p50).toBeUndefined()
    const community = await t.api('/api/compare?metric=co2&sector=office&from=-1h&bucket=1h')
    expect(community.body.buckets[0]).toEqual({ time: room.body.buckets[0].time, suppressed: true })

    const live = await connectDevice(t.hub.mqttUrl, attendees[1].device.id, attendees[1].device.token)
    const closed = new Promise<void>((resolve) => live.once('close', () => resolve()))
    skipped += 120_000
    now = clock()
    await t.hub.workshopExpiry.runOnce()
    await closed
    expect((await t.api('/api/me', { token: attendees[0].member.accessKey })).status).toBe(401)
    await expect(connectDevice(t.hub.mqttUrl, attendees[0].device.id, attendees[0].device.token)).rejects.toThrow(/Not authorized/i)
    expect((await join(workshop.code, 'Late')).status).toBe(410)
    const after = await t.hub.store.readings({ member: attendees[0].member.id, from: 0, to: now + 1, limit: 10 })
    expect(after).toEqual([])
  })

  it('keeps members who the organizer keeps: they join the community', async () => {
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Kept', expiresAt: now + 60_000 })).body
    const attendee = (await join(workshop.code, 'Keeper', 'office')).body
    await t.admin(`/api/admin/workshops/${workshop.id}`, { keepMembers: true }, 'PATCH')
    skipped += 120_000
    now = clock()
    await t.hub.workshopExpiry.runOnce()
    const me = await t.api('/api/me', { token: attendee.member.accessKey })
    expect(me.body.member.workshop).toBeNull()
  })

  it('limits joins from one address', async () => {
    // Whatever the other tests (in whatever order) already used of the minute's 12 joins: at
    // most 12 more succeed, then the address is refused with the catalogue's error.
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Busy room', expiresAt: now + 3_600_000 })).body
    const answers: Array<{ status: number, body: any }> = []
    for (let i = 0; i < 13 && answers.at(-1)?.status !== 429; i++) answers.push(await join(workshop.code, `Extra ${i}`))
    expect(answers.slice(0, -1).every((a) => a.status === 201)).toBe(true)
    expect(answers.at(-1)).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } })
  })
})
