import net from 'node:net'
import mqtt from 'mqtt'
import mqttPacket from 'mqtt-packet'
import { connectPacket } from '../helpers/raw-mqtt.ts'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { type Provisioned, type TestHub, collect, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

describe('device identity and topic ACL', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned

  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'alpha', 'retail')
    b = await provision(t, 'beta', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  const connectError = (options: mqtt.IClientOptions) => new Promise<any>((resolve) => {
    const client = mqtt.connect(t.hub.mqttUrl, { reconnectPeriod: 0, connectTimeout: 3000, ...options })
    client.once('connect', () => { client.end(true); resolve(undefined) })
    client.once('error', (error) => { client.end(true); resolve(error) })
  })

  it('refuses a wrong token, an unknown device and missing credentials with CONNACK "not authorized"', async () => {
    expect((await connectError({ username: a.device.id, password: 'wrong' }))?.code).toBe(5)
    expect((await connectError({ username: 'nobody', password: a.device.token }))?.code).toBe(5)
    expect((await connectError({}))?.code).toBe(5)
  })

  /** mqtt.js and mqtt-packet will not send an empty client id with clean=false, so this CONNECT is built by hand. */
  const rawConnack = (clean: boolean) => new Promise<number>((resolve, reject) => {
    const socket = net.connect(t.hub.mqttPort, '127.0.0.1')
    const parser = mqttPacket.parser({ protocolVersion: 4 })
    parser.on('packet', (packet: any) => { socket.destroy(); resolve(packet.returnCode) })
    socket.on('data', (data) => parser.parse(data))
    socket.on('error', reject)
    socket.write(connectPacket('', a.device.id, a.device.token, clean))
  })

  it('refuses an empty client id without clean session [MQTT-3.1.3-8], accepts it with clean session', async () => {
    expect(await rawConnack(false)).toBe(2)
    expect(await rawConnack(true)).toBe(0)
    expect(await connectError({ username: a.device.id, password: a.device.token, clientId: '', clean: true })).toBeUndefined()
  })

  it('lets one device use its credentials from two connections at once', async () => {
    const one = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token, { clientId: 'alpha-old' })
    const two = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token, { clientId: 'alpha-new' })
    await two.publishAsync(a.device.topic, '{"power": 10}', { qos: 1 })
    // Both still answered by the hub after the second logged in (a PUBACK each), not just not yet closed.
    await one.publishAsync(a.device.topic, '{"power": 11}', { qos: 1 })
    await two.publishAsync(a.device.topic, '{"power": 12}', { qos: 1 })
    expect(one.connected && two.connected).toBe(true)
    one.end(true); two.end(true)
  })

  it('refuses a publish to another device\'s topic, keeps the publisher connected, and delivers nothing to the victim', async () => {
    const attacker = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
    const victim = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token)
    const attackerErrors = collect(attacker, 'tsudoi/alpha/alpha-d1/errors')
    await attacker.subscribeAsync('tsudoi/alpha/alpha-d1/errors')
    const seen: Array<[string, string]> = []
    victim.on('message', (topic, payload) => seen.push([topic, payload.toString()]))
    await victim.subscribeAsync('tsudoi/beta/beta-d1/#')
    await attacker.publishAsync(b.device.topic, '{"power": 99999}', { qos: 1 })
    expect(await attackerErrors.next()).toEqual({ code: 'TOPIC_NOT_ALLOWED', message: expect.stringContaining('may not publish'), topic: b.device.topic, time: expect.any(Number) })
    // A marker the victim sends itself after the attacker's publish was answered: the broker
    // would have forwarded the attacker's message before that answer, so once the marker is
    // back, anything forwarded would already be in `seen`.
    const marker = new Promise<void>((resolve) => victim.on('message', (topic) => { if (topic === 'tsudoi/beta/beta-d1/cmd/marker') resolve() }))
    await victim.publishAsync('tsudoi/beta/beta-d1/cmd/marker', 'after', { qos: 1 })
    await marker
    expect(seen).toEqual([['tsudoi/beta/beta-d1/cmd/marker', 'after']])
    expect(attacker.connected).toBe(true)
    const stolen = await t.api('/api/me/readings', { token: b.member.accessKey })
    expect(stolen.body.readings).toEqual([])
    const own = await t.api('/api/me/readings', { token: a.member.accessKey })
    expect(own.body.readings.some((r: any) => r.value === 99999)).toBe(false)
    attacker.end(true); victim.end(true)
  })

  it('grants subscriptions under the device\'s own prefix and refuses others with 0x80, keeping the connection', async () => {
    const client = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
    // mqtt.js rejects the promise when any return code is 0x80; the SUBACK rides on the error.
    const granted = await client.subscribeAsync(['tsudoi/alpha/alpha-d1/#', 'tsudoi/alpha/alpha-d1/errors', 'tsudoi/beta/#', '#', 'tsudoi/+/+/telemetry', '$SYS/#'])
      .then(() => { throw new Error('expected refusals') }, (error: any) => error.packet.granted)
    expect(granted).toEqual([0, 0, 128, 128, 128, 128])
    await client.publishAsync(a.device.topic, '{"power": 5}', { qos: 1 })
    expect(client.connected).toBe(true)
    client.end(true)
  })

  it('takes identity from the login: a payload cannot name another member', async () => {
    const client = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
    await client.publishAsync(a.device.topic, JSON.stringify({ power: 42, member: 'beta', device: 'beta-d1' }), { qos: 1 })
    client.end(true)
    const theirs = await t.api('/api/me/readings?metric=power', { token: b.member.accessKey })
    expect(theirs.body.readings).toEqual([])
  })

  it('counts connections in health and marks the device online', async () => {
    // The member's view of its device and the hub's count, read together. The earlier tests'
    // connections may still be closing, so each state is waited for, not slept into.
    const state = async (): Promise<{ devices: unknown, devicesOnline: unknown }> => ({
      devices: (await t.api('/api/me', { token: b.member.accessKey })).body.devices,
      devicesOnline: (await t.api('/api/health')).body.devicesOnline
    })
    const device = (online: boolean): object => ({
      id: 'beta-d1', member: 'beta', name: 'Device beta-d1', format: 'json', topic: 'beta-d1', createdAt: expect.any(Number), lastSeen: expect.any(Number), online, battery: null
    })
    const client = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token)
    onTestFinished(() => { client.end(true) })
    await vi.waitFor(async () => { expect(await state()).toEqual({ devices: [device(true)], devicesOnline: 1 }) }, { timeout: 5000, interval: 20 })
    client.end(true)
    await vi.waitFor(async () => { expect(await state()).toEqual({ devices: [device(false)], devicesOnline: 0 }) }, { timeout: 5000, interval: 20 })
  })
})
