import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

const DAY = 86_400_000

describe('removing a member through the hub', () => {
  let t: TestHub
  beforeAll(async () => { t = await startTestHub() })
  afterAll(async () => { await t.stop() })

  const storedReadings = async (member: string): Promise<number> =>
    (await t.hub.store.readings({ member, from: Date.now() - DAY, to: Date.now() + DAY, limit: 100_000 })).length

  it('with ?purge=1: closes its connections, refuses its credentials, and leaves none of its readings — not even those acknowledged a moment before', async () => {
    const p = await provision(t, 'leaving-cafe')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    // Acknowledged readings still on their way to the store when the deletion arrives.
    for (let i = 0; i < 20; i++) await client.publishAsync(p.device.topic, JSON.stringify({ temperature: 20 + i }), { qos: 1 })
    const burst = Array.from({ length: 50 }, (_, i) => client.publishAsync(p.device.topic, JSON.stringify({ temperature: 40 + i % 10 }), { qos: 1 }))
    await Promise.all(burst)
    expect(await storedReadings('leaving-cafe')).toBeGreaterThan(0)

    expect((await t.admin('/api/admin/members/leaving-cafe?purge=1', undefined, 'DELETE')).status).toBe(204)
    await closed
    expect(await storedReadings('leaving-cafe')).toBe(0)
    expect((await t.admin('/api/admin/members/leaving-cafe')).status).toBe(404)
    await expect(connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)).rejects.toThrow(/Not authorized/i)
    expect((await t.api('/api/me', { token: p.member.accessKey })).status).toBe(401)
  })

  it('a purge that fails is finished by the same request again, not orphaned behind a 404', async () => {
    const p = await provision(t, 'retry-cafe')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    for (let i = 0; i < 10; i++) await client.publishAsync(p.device.topic, JSON.stringify({ power: 100 + i }), { qos: 1 })
    client.end(true)
    expect(await storedReadings('retry-cafe')).toBe(10)

    // The store fails once, as a locked database or an unreachable InfluxDB would.
    const store = t.hub.store
    const real = store.deleteMember.bind(store)
    let failures = 0
    store.deleteMember = async (member: string) => {
      if (failures++ === 0) throw new Error('database is locked')
      return await real(member)
    }
    try {
      const first = await t.admin('/api/admin/members/retry-cafe?purge=1', undefined, 'DELETE')
      expect(first.status).toBe(500)
      expect(await storedReadings('retry-cafe')).toBe(10)
      const retry = await t.admin('/api/admin/members/retry-cafe?purge=1', undefined, 'DELETE')
      expect(retry.status).toBe(204)
      expect(await storedReadings('retry-cafe')).toBe(0)
    } finally {
      store.deleteMember = real
    }
    // Without ?purge=1 an unknown member is still an unknown member.
    expect((await t.admin('/api/admin/members/retry-cafe', undefined, 'DELETE')).body).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  it('without ?purge=1 keeps the readings (they stay in the comparisons\' history) but ends the member', async () => {
    const p = await provision(t, 'keeping-cafe')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    await client.publishAsync(p.device.topic, JSON.stringify({ temperature: 21 }), { qos: 1 })
    await client.endAsync()
    expect((await t.admin('/api/admin/members/keeping-cafe', undefined, 'DELETE')).status).toBe(204)
    expect(await storedReadings('keeping-cafe')).toBe(1)
    expect((await t.admin('/api/admin/members/keeping-cafe')).status).toBe(404)
  })
})

describe('PATCH /api/admin/members/:id', () => {
  let t: TestHub
  beforeAll(async () => { t = await startTestHub() })
  afterAll(async () => { await t.stop() })

  it('changes what it is given and nothing else', async () => {
    await provision(t, 'patch-inn', 'accommodation', 'patch-inn-d1', { rooms: 12, floorArea: 300 })
    const before = (await t.admin('/api/admin/members/patch-inn')).body
    expect(before).toEqual({
      id: 'patch-inn', name: 'Member patch-inn', sector: 'accommodation', sharing: true, floorArea: 300, seats: null, rooms: 12, workshop: null,
      createdAt: expect.any(Number), devices: [expect.objectContaining({ id: 'patch-inn-d1', member: 'patch-inn' })]
    })
    const patched = await t.admin('/api/admin/members/patch-inn', { name: 'Patched Inn', sharing: false, floorArea: null }, 'PATCH')
    const { devices, ...member } = before
    expect({ status: patched.status, body: patched.body }).toEqual({ status: 200, body: { ...member, name: 'Patched Inn', sharing: false, floorArea: null } })
    expect((await t.admin('/api/admin/members/patch-inn')).body).toEqual({ ...before, name: 'Patched Inn', sharing: false, floorArea: null })
  })

  it('refuses bad values, unknown fields and unknown members with the field named', async () => {
    await provision(t, 'patch-shop', 'retail')
    const before = (await t.admin('/api/admin/members/patch-shop')).body
    const bad = await t.admin('/api/admin/members/patch-shop', { sector: 'spaceport', seats: -3 }, 'PATCH')
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['seats', 'sector'])
    // A field the API does not offer, even next to a good one: refused whole, named, nothing applied.
    expect(await t.admin('/api/admin/members/patch-shop', { name: 'Half applied', accessKeyHash: 'x' }, 'PATCH')).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: '(body): Unrecognized key: "accessKeyHash"', details: { fields: [{ field: '(body)', message: 'Unrecognized key: "accessKeyHash"' }] } } }
    })
    expect((await t.admin('/api/admin/members/nobody', { name: 'X' }, 'PATCH')).status).toBe(404)
    expect((await t.api('/api/admin/members/patch-shop', { method: 'PATCH', body: { name: 'Anonymous edit' } })).status).toBe(401)
    expect((await t.admin('/api/admin/members/patch-shop')).body).toEqual(before)
  })
})
