import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, collect, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { toolAvailable } from '../helpers/required-tool.ts'

const run = promisify(execFile)
const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub'
const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub'

// MQTT 5 devices (issue 15), with real MQTT.js clients speaking version 5.

const v5 = { protocolVersion: 5 } as const

/** A v5 device's connection and every packet the hub sent it. */
async function connectV5 (t: TestHub, device: Provisioned['device'], options: IClientOptions = {}): Promise<{ client: MqttClient, received: Packet[] }> {
  const received: Packet[] = []
  const client = await connectDevice(t.hub.mqttUrl, device.id, device.token, { ...v5, ...options, customHandleAcks: undefined })
  client.on('packetreceive', (packet) => received.push(packet))
  return { client, received }
}

/** The CONNACK a v5 CONNECT gets, whatever it says. */
function connackOf (t: TestHub, options: IClientOptions): Promise<Packet & { reasonCode?: number, properties?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(t.hub.mqttUrl, { ...v5, reconnectPeriod: 0, connectTimeout: 5000, ...options })
    client.on('packetreceive', (packet) => {
      if (packet.cmd !== 'connack') return
      client.end(true)
      resolve(packet as never)
    })
    client.on('error', () => {}) // a refusal is an error to mqtt.js; the packet is what is checked
    client.on('close', () => setTimeout(() => reject(new Error('closed without CONNACK')), 1000))
  })
}

const pubacks = (packets: Packet[]) => packets.filter((p) => p.cmd === 'puback').map((p) => [(p as { reasonCode?: number }).reasonCode, (p as { properties?: { reasonString?: string } }).properties?.reasonString])

const waitFor = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('MQTT 5 devices', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned
  const from = Date.now() - 1000

  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_MAX_SESSION_EXPIRY: '1h' })
    a = await provision(t, 'alpha', 'retail')
    b = await provision(t, 'beta', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  const stored = async (member: string, metric: string) => (await t.hub.store.readings({ member, metric, from, to: Date.now() + 60_000, limit: 1000 })).map((r) => r.value).sort((x, y) => x - y)

  it('advertises the hub\'s limits in CONNACK and caps the session expiry', async () => {
    const connack = await connackOf(t, { username: a.device.id, password: a.device.token, properties: { sessionExpiryInterval: 0xffffffff } })
    expect(connack.reasonCode).toBe(0)
    expect(connack.properties).toEqual({
      sharedSubscriptionAvailable: false,
      topicAliasMaximum: 16,
      maximumPacketSize: 64 * 1024 + 4 * 1024 + 5,
      receiveMaximum: 256,
      sessionExpiryInterval: 3600
    })
  })

  it('authenticates, publishes and subscribes like a v3 device', async () => {
    const { client, received } = await connectV5(t, a.device)
    const granted = await client.subscribeAsync('tsudoi/alpha/alpha-d1/#', { qos: 1 })
    expect(granted.map((g) => g.qos)).toEqual([1])
    const echo = collect(client, a.device.topic)
    await client.publishAsync(a.device.topic, '{"temperature": 21.5}', { qos: 1 })
    expect(await echo.next()).toEqual({ temperature: 21.5 })
    expect(received.filter((p) => p.cmd === 'puback')).toEqual([expect.objectContaining({ cmd: 'puback', reasonCode: 0 })])
    await waitFor(async () => (await stored('alpha', 'temperature')).length === 1, 'the reading')
    expect(await stored('alpha', 'temperature')).toEqual([21.5])
    client.end(true)
  })

  it('refuses bad credentials with CONNACK 0x86 naming BAD_CREDENTIALS', async () => {
    const connack = await connackOf(t, { username: a.device.id, password: 'wrong' })
    expect(connack).toMatchObject({ cmd: 'connack', reasonCode: 0x86, properties: { reasonString: 'BAD_CREDENTIALS: not authorized' } })
    expect((await connackOf(t, {})).reasonCode).toBe(0x86)
  })

  it('answers CONNACK 0x89 "server busy" when the device holds all the connections it may', async () => {
    // TSUDOI_MAX_CONNECTIONS_PER_DEVICE: 8 by default.
    const open = await Promise.all(Array.from({ length: 8 }, (_, i) => connectV5(t, b.device, { clientId: `b-${i}` })))
    const connack = await connackOf(t, { username: b.device.id, password: b.device.token, clientId: 'b-9' })
    expect(connack).toMatchObject({ reasonCode: 0x89, properties: { reasonString: 'TOO_MANY_CONNECTIONS: too many connections for this device' } })
    for (const { client } of open) client.end(true)
  })

  it('answers a PUBLISH to another member\'s topic with PUBACK 0x87 and keeps the connection', async () => {
    const { client, received: packets } = await connectV5(t, a.device)
    await expect(client.publishAsync('tsudoi/beta/beta-d1/telemetry', '{"co2": 999}', { qos: 1 })).rejects.toMatchObject({ code: 0x87 })
    await client.publishAsync(a.device.topic, '{"co2": 450}', { qos: 1 })
    expect(pubacks(packets)).toEqual([
      [0x87, 'TOPIC_NOT_ALLOWED: device alpha-d1 may not publish to tsudoi/beta/beta-d1/telemetry'],
      [0, undefined]
    ])
    expect(client.connected).toBe(true)
    await waitFor(async () => (await stored('alpha', 'co2')).length === 1, 'the reading')
    expect(await stored('beta', 'co2')).toEqual([])
    client.end(true)
  })

  it('answers a payload the hub refuses with PUBACK 0x99 naming the error, keeps the readings around it, and still reports on the errors topic', async () => {
    const { client, received: packets } = await connectV5(t, a.device)
    await client.subscribeAsync('tsudoi/alpha/alpha-d1/errors', { qos: 0 })
    const errors = collect(client, 'tsudoi/alpha/alpha-d1/errors')
    await client.publishAsync(a.device.topic, '{"humidity": 40}', { qos: 1 })
    await expect(client.publishAsync(a.device.topic, '{"humidity": ', { qos: 1 })).rejects.toMatchObject({ code: 0x99 })
    await expect(client.publishAsync(a.device.topic, '{"humidity": 400}', { qos: 1 })).rejects.toMatchObject({ code: 0x99 })
    await client.publishAsync(a.device.topic, '{"humidity": 41, "battery": -5}', { qos: 1 })
    await client.publishAsync(a.device.topic, '{"humidity": 42}', { qos: 1 })
    expect(pubacks(packets)).toEqual([
      [0, undefined],
      [0x99, 'INVALID_JSON: payload is not valid JSON: Unexpected end of JSON input'],
      [0x99, 'OUT_OF_RANGE: humidity: 400 is outside 0…100 %'],
      [0, 'OUT_OF_RANGE: battery: -5 is outside 0…100 %'],
      [0, undefined]
    ])
    expect((await errors.next()).code).toBe('INVALID_JSON')
    expect((await errors.next()).code).toBe('OUT_OF_RANGE')
    expect((await errors.next()).code).toBe('OUT_OF_RANGE')
    await waitFor(async () => (await stored('alpha', 'humidity')).length === 3, 'the readings')
    expect(await stored('alpha', 'humidity')).toEqual([40, 41, 42])
    client.end(true)
  })

  it('sends no reason string to a device that asked for no problem information [MQTT-3.1.2-29]', async () => {
    const { client, received } = await connectV5(t, a.device, { properties: { requestProblemInformation: false } })
    await expect(client.publishAsync(a.device.topic, 'nonsense', { qos: 1 })).rejects.toMatchObject({ code: 0x99 })
    expect(received.filter((p) => p.cmd === 'puback').map((p) => ({ ...p }))).toEqual([{ cmd: 'puback', messageId: expect.any(Number), reasonCode: 0x99, retain: false, qos: 0, dup: false, length: 4, topic: null, payload: null }])
    client.end(true)
  })

  it('refuses a SUBSCRIBE outside the device\'s space with SUBACK 0x87', async () => {
    const { client, received: packets } = await connectV5(t, a.device)
    await expect(client.subscribeAsync(['tsudoi/beta/#', 'tsudoi/alpha/alpha-d1/errors'], { qos: 1 })).rejects.toThrow('Not authorized')
    expect(packets.filter((p) => p.cmd === 'suback').map((p) => (p as { granted?: number[] }).granted)).toEqual([[0x87, 1]])
    expect(client.connected).toBe(true)
    client.end(true)
  })

  it('takes a topic alias for telemetry', async () => {
    const { client } = await connectV5(t, a.device)
    await client.publishAsync(a.device.topic, '{"pressure": 1001}', { qos: 1, properties: { topicAlias: 3 } })
    await client.publishAsync('', '{"pressure": 1002}', { qos: 1, properties: { topicAlias: 3 } })
    await waitFor(async () => (await stored('alpha', 'pressure')).length === 2, 'the readings')
    expect(await stored('alpha', 'pressure')).toEqual([1001, 1002])
    client.end(true)
  })

  it.runIf(toolAvailable(MOSQUITTO_PUB, 'mosquitto-clients'))('serves Debian\'s mosquitto_pub and mosquitto_sub with -V mqttv5: stored, PUBACK 0x99 on a bad payload, CONNACK 0x86 on a bad token', async () => {
    const common = ['-h', '127.0.0.1', '-p', String(t.hub.mqttPort), '-V', 'mqttv5', '-u', a.device.id, '-q', '1', '-t', a.device.topic]
    await run(MOSQUITTO_PUB, [...common, '-P', a.device.token, '-m', '{"illuminance": 321}'])
    await waitFor(async () => (await stored('alpha', 'illuminance')).length === 1, 'the reading')
    expect(await stored('alpha', 'illuminance')).toEqual([321])
    // -d prints the packets; mosquitto_pub 2.0 exits 0 after a refused PUBACK.
    const refused = await run(MOSQUITTO_PUB, [...common, '-P', a.device.token, '-d', '-m', '{"illuminance": -5}']).catch((error: { stdout: string, stderr: string }) => error)
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/received PUBACK \(Mid: \d+, RC:153\)/)
    const badToken = await run(MOSQUITTO_SUB, ['-h', '127.0.0.1', '-p', String(t.hub.mqttPort), '-V', 'mqttv5', '-u', a.device.id, '-P', 'wrong', '-t', a.device.topic, '-C', '1']).then(() => undefined, (error: { code: number, stderr: string }) => error)
    expect(badToken?.stderr).toMatch(/Bad User Name or Password/i)
    expect(await stored('alpha', 'illuminance')).toEqual([321])
  })

  it('answers the same over WebSocket: PUBACK 0x99 and 0x00 in order, the good reading stored', async () => {
    const client = await connectDevice(t.hub.wsUrl, a.device.id, a.device.token, { ...v5 })
    const packets: Packet[] = []
    client.on('packetreceive', (packet) => packets.push(packet))
    await expect(client.publishAsync(a.device.topic, '{"voltage": "high"}', { qos: 1 })).rejects.toMatchObject({ code: 0x99 })
    await client.publishAsync(a.device.topic, '{"voltage": 230}', { qos: 1 })
    expect(pubacks(packets)).toEqual([[0x99, 'NOT_A_NUMBER: voltage: "high" is not a number'], [0, undefined]])
    await waitFor(async () => (await stored('alpha', 'voltage')).length === 1, 'the reading')
    expect(await stored('alpha', 'voltage')).toEqual([230])
    client.end(true)
  })

  it('keeps a session across a reconnect within its expiry, with the QoS 1 message queued meanwhile; another device cannot take it', async () => {
    const session = { clientId: 'keeper', clean: false, properties: { sessionExpiryInterval: 60 } }
    const first = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token, { ...v5, ...session })
    await first.subscribeAsync('tsudoi/alpha/alpha-d1/cmd/led', { qos: 1 })
    await first.endAsync()
    // Another member's device with the same client id gets a session of its own [MQTT-3.1.4-2] (server/broker/client-id.ts).
    const squatter = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token, { ...v5, ...session })
    const squatterGot: string[] = []
    squatter.on('message', (_topic, payload) => squatterGot.push(payload.toString()))
    const sender = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token, { ...v5, clientId: 'sender' })
    await sender.publishAsync('tsudoi/alpha/alpha-d1/cmd/led', 'on', { qos: 1 })
    const again = mqtt.connect(t.hub.mqttUrl, { ...v5, ...session, username: a.device.id, password: a.device.token, reconnectPeriod: 0 })
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => again.once('connect', resolve))
    const message = await new Promise<string>((resolve) => again.once('message', (_topic, payload) => resolve(payload.toString())))
    expect([connack.sessionPresent, message, squatterGot]).toEqual([true, 'on', []])
    for (const client of [again, squatter, sender]) client.end(true)
  })
})

describe('MQTT 5 devices when the store fails', () => {
  it('acknowledges nothing and closes the connection, as for MQTT 3.1.1, so the device sends the reading again', async () => {
    const t = await startTestHub()
    try {
      const a = await provision(t, 'alpha', 'retail')
      const store = t.hub.store as { append: (readings: unknown[]) => Promise<void> }
      store.append = async () => { throw new Error('disk gone') }
      for (const protocolVersion of [4, 5] as const) {
        const client = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token, { protocolVersion })
        const packets: Packet[] = []
        client.on('packetreceive', (packet) => packets.push(packet))
        const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
        client.publish(a.device.topic, '{"co2": 410}', { qos: 1 })
        await closed
        expect([protocolVersion, packets.filter((p) => p.cmd === 'puback')]).toEqual([protocolVersion, []])
        client.end(true)
      }
    } finally {
      await t.stop()
    }
  })
})

describe('Home Assistant over MQTT 5', () => {
  it('learns a discovery config and stores its state topic; an unknown state topic gets PUBACK 0x90 naming UNKNOWN_TOPIC', async () => {
    const t = await startTestHub()
    try {
      const key = (await t.admin('/api/admin/members', { id: 'bedroom-inn', name: 'Bedroom inn', sector: 'accommodation' })).body.accessKey
      const device = await t.admin('/api/admin/devices', { member: 'bedroom-inn', name: 'HA sensor', id: 'ha-1', format: 'homeassistant', topic: 'sensorBedroom' })
      const client = await connectDevice(t.hub.mqttUrl, 'ha-1', device.body.token, { ...v5 })
      const packets: Packet[] = []
      client.on('packetreceive', (packet) => packets.push(packet))
      const state = 'homeassistant/sensor/sensorBedroom/state'
      await expect(client.publishAsync(state, JSON.stringify({ temperature: 19 }), { qos: 1 })).rejects.toMatchObject({ code: 0x90 })
      await client.publishAsync('homeassistant/sensor/sensorBedroom/temperature/config', JSON.stringify({ device_class: 'temperature', name: 'Temperature', state_topic: state, unit_of_measurement: '°C', value_template: '{{ value_json.temperature }}' }), { qos: 1 })
      await client.publishAsync(state, JSON.stringify({ temperature: 22.5 }), { qos: 1 })
      expect(pubacks(packets)).toEqual([[0x90, `UNKNOWN_TOPIC: topic ${state} is not part of the homeassistant format`], [0, undefined], [0, undefined]])
      const readings = (await t.api('/api/me/readings?device=ha-1&limit=100', { token: key })).body.readings.map((r: { metric: string, value: number }) => [r.metric, r.value])
      expect(readings).toEqual([['temperature', 22.5]])
      client.end(true)
    } finally {
      await t.stop()
    }
  })
})
