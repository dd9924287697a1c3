import net from 'node:net'
import mqttPacket from 'mqtt-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, sleep, startTestHub } from '../helpers/hub.ts'
import { connectPacket, field, remainingLength } from '../helpers/raw-mqtt.ts'

// Telemetry PUBLISHes are framed by the hub itself (server/broker/publish-fast-path.ts) while
// everything else goes through aedes. These tests write raw bytes to see what a device sees.

/** A PUBLISH [MQTT-3.3] with any flags. */
function publishPacket (topic: string, payload: string, options: { qos?: 0 | 1, id?: number, retain?: boolean } = {}): Buffer {
  const { qos = 1, id = 1, retain = false } = options
  const body = Buffer.concat([field(topic), qos > 0 ? Buffer.from([id >> 8, id & 255]) : Buffer.alloc(0), Buffer.from(payload)])
  return Buffer.concat([Buffer.from([0x30 | (qos << 1) | (retain ? 1 : 0)]), remainingLength(body.length), body])
}

const PINGREQ = Buffer.from([0xc0, 0])

interface RawDevice {
  socket: net.Socket
  packets: any[]
  closed: Promise<void>
  /** Resolves once `count` packets other than the CONNACK have arrived. */
  received: (count: number, timeoutMs?: number) => Promise<any[]>
}

async function rawDevice (t: TestHub, device: Provisioned['device'], keepalive = 60): Promise<RawDevice> {
  const socket = net.connect(t.hub.mqttPort, '127.0.0.1')
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const packets: any[] = []
  socket.on('data', (data) => parser.parse(data))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('error', () => {})
  const connack = new Promise<any>((resolve) => parser.once('packet', resolve))
  parser.on('packet', (packet: any) => { if (packet.cmd !== 'connack') packets.push(packet) })
  socket.write(connectPacket(`${device.id}-raw`, device.id, device.token, true, keepalive))
  expect((await connack).returnCode).toBe(0)
  return {
    socket,
    packets,
    closed,
    async received (count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (packets.length < count && Date.now() < deadline) await sleep(5)
      return packets
    }
  }
}

describe('the PUBLISH fast path', () => {
  let t: TestHub
  let a: Provisioned

  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'fast', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  const stored = async (from: number) => await t.hub.store.readings({ member: a.member.id, metric: 'temperature', from, to: Date.now() + 60_000, limit: 1000 })

  it('acknowledges QoS 1 PUBLISHes in the order they came, whether the hub or aedes handled them', async () => {
    const device = await rawDevice(t, a.device)
    const telemetry = a.device.topic
    const base = Date.now() - 10_000
    // One write: two fast ones, a retained one (aedes' path), a PING, a fast one, and a QoS 0.
    device.socket.write(Buffer.concat([
      publishPacket(telemetry, JSON.stringify({ temperature: 1, ts: base + 1 }), { id: 11 }),
      publishPacket(telemetry, JSON.stringify({ temperature: 2, ts: base + 2 }), { id: 12 }),
      publishPacket(telemetry, JSON.stringify({ temperature: 3, ts: base + 3 }), { id: 13, retain: true }),
      PINGREQ,
      publishPacket(telemetry, JSON.stringify({ temperature: 4, ts: base + 4 }), { id: 14 }),
      publishPacket(telemetry, JSON.stringify({ temperature: 5, ts: base + 5 }), { qos: 0 }),
      publishPacket(telemetry, JSON.stringify({ temperature: 6, ts: base + 6 }), { id: 15 })
    ]))
    const packets = await device.received(6)
    expect(packets.filter((p) => p.cmd === 'puback').map((p) => p.messageId)).toEqual([11, 12, 13, 14, 15])
    expect(packets.some((p) => p.cmd === 'pingresp')).toBe(true)
    expect((await stored(base)).map((r) => r.value).sort()).toEqual([1, 2, 3, 4, 5, 6])
    device.socket.destroy()
  })

  it('reassembles PUBLISHes split anywhere across TCP segments', async () => {
    const device = await rawDevice(t, a.device)
    const base = Date.now() - 20_000
    const bytes = Buffer.concat([1, 2, 3].map((n) => publishPacket(a.device.topic, JSON.stringify({ temperature: 10 + n, ts: base + n }), { id: 20 + n })))
    for (let i = 0; i < bytes.length; i += 7) {
      device.socket.write(bytes.subarray(i, i + 7))
      await sleep(2)
    }
    const packets = await device.received(3)
    expect(packets.map((p) => [p.cmd, p.messageId])).toEqual([['puback', 21], ['puback', 22], ['puback', 23]])
    expect((await stored(base)).filter((r) => r.time <= base + 3).map((r) => r.value).sort()).toEqual([11, 12, 13])
    device.socket.destroy()
  })

  it('counts fast-path PUBLISHes as activity: a device that only publishes outlives its keepalive', async () => {
    const device = await rawDevice(t, a.device, 1) // aedes closes after 1.5 × keepalive without a packet
    for (let i = 0; i < 10; i++) {
      device.socket.write(publishPacket(a.device.topic, JSON.stringify({ temperature: 30 }), { qos: 0 }))
      await sleep(300)
    }
    expect(device.socket.destroyed).toBe(false)
    await sleep(2000) // silence: now the keepalive ends it
    expect(device.socket.destroyed || device.socket.readableEnded).toBe(true)
  })

  it('hands a connection that sends a malformed packet back to aedes, which closes it', async () => {
    const device = await rawDevice(t, a.device)
    device.socket.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))
    await expect(Promise.race([device.closed.then(() => 'closed'), sleep(3000).then(() => 'open')])).resolves.toBe('closed')
  })

  it('still forwards the PUBLISHes of a device that subscribed to its own topics', async () => {
    const b = await provision(t, 'echo', 'retail')
    const client = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token)
    const seen = new Promise<string>((resolve) => client.on('message', (_topic, payload) => resolve(payload.toString())))
    await client.subscribeAsync(`${b.device.topic.replace(/telemetry$/, '')}#`, { qos: 1 })
    await client.publishAsync(b.device.topic, JSON.stringify({ temperature: 21.5 }), { qos: 1 })
    await expect(Promise.race([seen, sleep(3000).then(() => 'nothing')])).resolves.toBe(JSON.stringify({ temperature: 21.5 }))
    await client.endAsync()
  })
})
