import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { connectPacket, qos0Publish } from '../helpers/raw-mqtt.ts'


// Stock aedes dies with "Maximum call stack size exceeded" when a client floods QoS 0
// publishes and every hook answers synchronously (moscajs/aedes#193). The hub must slow the
// sender down instead, and keep serving everyone else.
describe('a QoS 0 flood', () => {
  let t: TestHub
  let flooder: Provisioned
  let other: Provisioned
  beforeAll(async () => {
    t = await startTestHub()
    flooder = await provision(t, 'flood', 'office')
    other = await provision(t, 'calm', 'office')
  })
  afterAll(async () => { await t?.stop() })

  it('is absorbed by backpressure: the hub survives and still acknowledges another device', async () => {
    const socket = net.connect(t.hub.mqttPort, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(connectPacket('flood-1', flooder.device.id, flooder.device.token))
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('data', resolve)) // CONNACK
    // Up to 500,000 publishes in 1,000-packet chunks, written as fast as the socket takes them,
    // for at most 4 s; the other device publishes while the flood goes on.
    const chunk = Buffer.concat(Array.from({ length: 1000 }, (_, i) => qos0Publish(flooder.device.topic, `{"co2": ${400 + (i % 100)}}`)))
    const until = Date.now() + 4000
    let written = 0
    const flood = new Promise<void>((resolve) => {
      const pump = (): void => {
        while (written < 500 && Date.now() < until) {
          written++
          if (!socket.write(chunk)) { socket.once('drain', pump); return }
        }
        resolve()
      }
      pump()
    })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const calm = await connectDevice(t.hub.mqttUrl, other.device.id, other.device.token)
    await calm.publishAsync(other.device.topic, '{"co2": 777}', { qos: 1 })
    calm.end(true)
    const health = await t.api('/api/health')
    expect(health.status).toBe(200)
    const { body } = await t.api('/api/me/readings?metric=co2', { token: other.member.accessKey })
    expect(body.readings.map((r: { value: number }) => r.value)).toEqual([777])
    await flood
    expect(written).toBeGreaterThan(10)
    socket.destroy()
    const metrics = await t.api('/metrics')
    expect(metrics.body).toMatch(/tsudoi_mqtt_publishes_total\{qos="0"\} \d+/)
  })

  it('disconnects a client that floods before its CONNACK, and serves the others', async () => {
    const socket = net.connect(t.hub.mqttPort, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.on('error', () => {})
    socket.write(connectPacket('flood-2', flooder.device.id, flooder.device.token))
    const chunk = Buffer.concat(Array.from({ length: 1000 }, () => qos0Publish(flooder.device.topic, '{"co2": 500}')))
    for (let i = 0; i < 100 && socket.write(chunk); i++);
    await closed // aedes queues at most queueLimit packets before CONNACK, then drops the connection
    const calm = await connectDevice(t.hub.mqttUrl, other.device.id, other.device.token)
    await calm.publishAsync(other.device.topic, '{"co2": 778}', { qos: 1 })
    calm.end(true)
    const { body } = await t.api('/api/me/readings?metric=co2&limit=1', { token: other.member.accessKey })
    expect(body.readings[0].value).toBe(778)
  })
})
