import mqttPacket from 'mqtt-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { type RawConnection, openRaw } from '../helpers/raw-connection.ts'
import { field, remainingLength } from '../helpers/raw-mqtt.ts'

// Hostile MQTT 5 (issue 15): what a logged-in v5 device can try with properties and topic
// aliases, byte by byte where MQTT.js would refuse to send it.

const TOPIC_ALIAS = 0x23
const USER_PROPERTY = 0x26

/** A v5 PUBLISH with the properties given as raw bytes [MQTT-3.3.2.3]. */
function publish5 (topic: string, payload: string, options: { qos?: 0 | 1, messageId?: number, properties?: Buffer, propertyLength?: number } = {}): Buffer {
  const qos = options.qos ?? 1
  const properties = options.properties ?? Buffer.alloc(0)
  const body = Buffer.concat([
    field(topic),
    qos > 0 ? Buffer.from([(options.messageId ?? 1) >> 8, (options.messageId ?? 1) & 0xff]) : Buffer.alloc(0),
    remainingLength(options.propertyLength ?? properties.length),
    properties,
    Buffer.from(payload)
  ])
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(body.length), body])
}

/** A reading with a timestamp of its own: two readings of one metric in the same millisecond are one. */
const from = Date.now() - 10_000
const co2 = (value: number): string => JSON.stringify({ co2: value, ts: from + value })
const alias = (n: number): Buffer => Buffer.from([TOPIC_ALIAS, n >> 8, n & 0xff])
const userProperty = (key: string, value: string): Buffer => Buffer.concat([Buffer.from([USER_PROPERTY]), field(key), field(value)])

async function openV5 (t: TestHub, device: Provisioned['device'], properties: Record<string, unknown> = {}): Promise<RawConnection> {
  const connection = await openRaw(t.hub.mqttPort, 5)
  await connection.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: `raw-${Math.random()}`, clean: true, keepalive: 60, username: device.id, password: Buffer.from(device.token), properties } as mqttPacket.IConnectPacket, { protocolVersion: 5 }))
  const connack = await connection.packet((p) => p.cmd === 'connack', 5000)
  if (connack?.reasonCode !== 0) throw new Error(`not accepted: ${JSON.stringify(connack)}`)
  return connection
}

describe('hostile MQTT 5 devices', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned

  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'alpha', 'retail')
    b = await provision(t, 'beta', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  const stored = async (member: string) => (await t.hub.store.readings({ member, metric: 'co2', from, to: Date.now() + 60_000, limit: 1000 })).map((r) => r.value).sort((x, y) => x - y)
  /** The hub still serves: a new device connection is accepted. */
  const hubServes = async (): Promise<void> => { (await openV5(t, a.device)).destroy() }

  for (const [name, bytes] of [
    ['alias 0', publish5('tsudoi/alpha/alpha-d1/telemetry', co2(1), { properties: alias(0) })],
    ['alias 17, above the maximum of 16', publish5('tsudoi/alpha/alpha-d1/telemetry', co2(1), { properties: alias(17) })],
    ['an alias never set, with an empty topic', publish5('', co2(1), { properties: alias(5) })]
  ] as const) {
    it(`answers a topic ${name} with DISCONNECT 0x94 and stores nothing`, async () => {
      const c = await openV5(t, a.device)
      await c.write(bytes)
      expect(await c.closedWithin(5000)).toBe(true)
      expect(c.packets.slice(1).map((p) => [p.cmd, p.reasonCode])).toEqual([['disconnect', 0x94]])
      expect(await stored('alpha')).toEqual([])
      await hubServes()
    })
  }

  it('refuses an alias set to another member\'s topic, and every PUBLISH through it, with PUBACK 0x87; the victim gets nothing', async () => {
    const victim = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token, { protocolVersion: 5 })
    const seen: string[] = []
    victim.on('message', (_topic, payload) => seen.push(payload.toString()))
    await victim.subscribeAsync('tsudoi/beta/beta-d1/#', { qos: 1 })
    const c = await openV5(t, a.device)
    await c.write(Buffer.concat([
      publish5('tsudoi/beta/beta-d1/telemetry', co2(5000), { messageId: 1, properties: alias(1) }),
      publish5('', co2(5001), { messageId: 2, properties: alias(1) }),
      publish5('tsudoi/alpha/alpha-d1/telemetry', co2(400), { messageId: 3, properties: alias(2) }),
      publish5('', co2(401), { messageId: 4, properties: alias(2) })
    ]))
    await c.packet((p) => p.cmd === 'puback' && p.messageId === 4, 5000)
    expect(c.packets.slice(1).map((p) => [p.cmd, p.messageId, p.reasonCode])).toEqual([
      ['puback', 1, 0x87], ['puback', 2, 0x87], ['puback', 3, 0], ['puback', 4, 0]
    ])
    expect(await c.alive(5000)).toBe(true)
    // The victim's own reading arrives; nothing of the attacker's came before it.
    await victim.publishAsync('tsudoi/beta/beta-d1/telemetry', co2(420), { qos: 1 })
    for (let i = 0; i < 500 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(seen).toEqual([co2(420)])
    expect(await stored('beta')).toEqual([420])
    expect(await stored('alpha')).toEqual([400, 401])
    c.destroy()
    victim.end(true)
  })

  it('closes a connection whose properties run past the packet, or carry an unknown property id; the hub serves on', async () => {
    for (const bytes of [
      publish5('tsudoi/alpha/alpha-d1/telemetry', co2(2), { propertyLength: 40 }),
      publish5('tsudoi/alpha/alpha-d1/telemetry', co2(2), { properties: Buffer.from([0x7f, 0, 1]) }),
      // A topic alias twice: a protocol error [MQTT-3.3.2.3.4].
      publish5('tsudoi/alpha/alpha-d1/telemetry', co2(2), { properties: Buffer.concat([alias(1), alias(2)]) })
    ]) {
      const c = await openV5(t, a.device)
      await c.write(bytes)
      expect(await c.closedWithin(5000)).toBe(true)
      expect(c.packets.slice(1).filter((p) => p.cmd === 'puback')).toEqual([])
    }
    expect(await stored('alpha')).toEqual([400, 401])
    await hubServes()
  })

  it('closes a CONNECT that gives its session expiry twice, without a CONNACK; the hub serves on', async () => {
    // mqtt-packet hands a repeated property on as an array; aedes 2.0.0-beta.1 took it for a
    // number and its session timer threw when the connection closed.
    const sessionExpiry = (seconds: number): Buffer => Buffer.from([0x11, 0, 0, seconds >> 8, seconds & 0xff])
    const properties = Buffer.concat([sessionExpiry(10), sessionExpiry(20)])
    const body = Buffer.concat([field('MQTT'), Buffer.from([5, 0xc2, 0, 60]), remainingLength(properties.length), properties, field('twice'), field(a.device.id), field(a.device.token)])
    const c = await openRaw(t.hub.mqttPort, 5)
    await c.write(Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]))
    expect(await c.closedWithin(5000)).toBe(true)
    expect(c.packets).toEqual([])
    await hubServes()
  })

  it('closes a CONNECT whose user properties pass the 8 KiB allowed before login, without a CONNACK', async () => {
    const c = await openRaw(t.hub.mqttPort, 5)
    const userProperties = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`key-${i}`, 'x'.repeat(20)]))
    await c.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'big', clean: true, keepalive: 60, username: a.device.id, password: Buffer.from(a.device.token), properties: { userProperties } } as mqttPacket.IConnectPacket, { protocolVersion: 5 }))
    expect(await c.closedWithin(5000)).toBe(true)
    expect(c.packets).toEqual([])
  })

  it('takes a PUBLISH with 8,000 user properties inside the packet limit (they are ignored), and closes one whose user properties pass it', async () => {
    const many = Buffer.concat(Array.from({ length: 8_000 }, (_, i) => userProperty(String(i % 100), 'v')))
    const c = await openV5(t, a.device)
    await c.write(publish5('tsudoi/alpha/alpha-d1/telemetry', co2(402), { messageId: 7, properties: many }))
    expect((await c.packet((p) => p.cmd === 'puback', 5000))).toMatchObject({ messageId: 7, reasonCode: 0 })
    expect(await stored('alpha')).toEqual([400, 401, 402])
    const tooMany = Buffer.concat(Array.from({ length: 20_000 }, () => userProperty('k', 'v'.repeat(4))))
    await c.write(publish5('tsudoi/alpha/alpha-d1/telemetry', co2(403), { messageId: 8, properties: tooMany }))
    expect(await c.closedWithin(5000)).toBe(true)
    expect(c.packets.filter((p) => p.cmd === 'puback').map((p) => p.messageId)).toEqual([7])
    await hubServes()
  })

  it('answers more unacknowledged QoS 1 PUBLISHes than the receive maximum (256) with DISCONNECT 0x93', async () => {
    const c = await openV5(t, a.device)
    // One write of 300 small packets (~12 KB): aedes reads it as one batch, and no PUBACK can
    // leave before the batch's group commit.
    await c.write(Buffer.concat(Array.from({ length: 300 }, (_, i) => publish5('tsudoi/alpha/alpha-d1/telemetry', co2(500), { messageId: i + 1 }))))
    expect(await c.closedWithin(5000)).toBe(true)
    expect(c.packets.filter((p) => p.cmd === 'disconnect').map((p) => p.reasonCode)).toEqual([0x93])
  })
})
