import net from 'node:net'
import { getDefaultHighWaterMark } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
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

  it('is absorbed by backpressure: the sender is slowed, every packet is read, and another device is still acknowledged', async () => {
    const socket = net.connect(t.hub.mqttPort, '127.0.0.1')
    onTestFinished(() => { socket.destroy() }) // also when an assertion fails: the hub's stop waits for it
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(connectPacket('flood-1', flooder.device.id, flooder.device.token))
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('data', resolve)) // CONNACK
    // 1,000-packet chunks, written as fast as the socket takes them, until the other device has
    // been served in the middle of the flood and at least 50,000 publishes were sent.
    const packet = qos0Publish(flooder.device.topic, '{"co2": 400}')
    const chunk = Buffer.concat(Array.from({ length: 1000 }, () => packet))
    let calmServed = false
    let written = 0
    let flooding = true
    const flood = new Promise<void>((resolve) => {
      const pump = (): void => {
        while (!(calmServed && written >= 50)) {
          written++
          if (!socket.write(chunk)) { socket.once('drain', pump); return }
        }
        flooding = false
        resolve()
      }
      pump()
    })
    // What slows the sender: a connection's next chunk is read only once the publishes of the
    // one before are committed (server/broker/publish-fast-path.ts), so what the hub holds of a
    // flood is at most one socket read — the stream's buffer plus one 64 KiB read of libuv —
    // while the rest waits in the sender's socket. Without that, every chunk that arrives is
    // parsed and waits for the commit in memory.
    const oneRead = Math.ceil((getDefaultHighWaterMark(false) + 64 * 1024) / packet.length)
    let mostPending = 0
    const sampling = (async () => {
      while (flooding) {
        mostPending = Math.max(mostPending, (await t.hub.metrics.pendingPublishes.get()).values[0]?.value ?? 0)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const counted = async (): Promise<{ publishes: number, accepted: number }> => ({
      publishes: (await t.hub.metrics.publishes.get()).values.find((v) => v.labels.qos === '0')?.value ?? 0,
      accepted: (await t.hub.metrics.readingsAccepted.get()).values[0]?.value ?? 0
    })
    await vi.waitFor(async () => { expect((await counted()).publishes).toBeGreaterThan(0) }, { timeout: 10_000, interval: 20 })
    const calm = await connectDevice(t.hub.mqttUrl, other.device.id, other.device.token)
    await calm.publishAsync(other.device.topic, '{"co2": 777}', { qos: 1 })
    calm.end(true)
    calmServed = true // only now may the flood end: the calm device was served during it
    const health = await t.api('/api/health')
    expect(health.status).toBe(200)
    const { body } = await t.api('/api/me/readings?metric=co2', { token: other.member.accessKey })
    expect(body.readings.map((r: { value: number }) => r.value)).toEqual([777])
    await flood
    await sampling
    expect(mostPending).toBeGreaterThan(0)
    expect(mostPending).toBeLessThanOrEqual(oneRead + 1) // + the calm device's publish
    // Slowed, not dropped: once the sender stops, the hub reads every packet it was sent.
    // (a reading is counted once its commit is done, a PUBLISH when it is read: wait for both)
    await vi.waitFor(async () => { expect(await counted()).toEqual({ publishes: written * 1000, accepted: written * 1000 + 1 }) }, { timeout: 20_000, interval: 50 })
  }, 60_000)

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
