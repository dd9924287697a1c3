import type { Aedes } from 'aedes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBroker } from '../../server/broker/broker.ts'
import { type MqttListener, listenTcp } from '../../server/broker/transports.ts'
import { loadConfig } from '../../server/config.ts'
import { EventBus } from '../../server/event-bus.ts'
import { Activity } from '../../server/ingest/activity.ts'
import type { DeviceIdentity } from '../../server/domain/identity.ts'
import type { Refusal } from '../../server/ingest/validate.ts'
import { createRootLogger } from '../../server/log.ts'
import { createMetrics } from '../../server/metrics.ts'
import { field, remainingLength } from '../helpers/raw-mqtt.ts'
import { type RawClient, openRaw, rawDevice } from './raw-client.ts'
import { connectPacket } from '../helpers/raw-mqtt.ts'

// Issue 12, item 1, the broker's side: whatever a hook throws while handling one packet stays
// with that packet (or that one connection), never the process. The pipeline, the credentials
// check and one device's format are replaced by ones that throw on cue; everything else is the
// real broker on a real socket. Vitest fails a run on any uncaught exception, so "still alive"
// is checked by the run itself as well as by the next packet being served.

const TOPIC = 'tsudoi/m/d/telemetry'

/** Activity whose bookkeeping throws for the device 'unready': the clientReady and clientDisconnect listeners call it. */
class ThrowingActivity extends Activity {
  override connected (id: string): number {
    if (id === 'unready') throw new TypeError('bookkeeping failed')
    return super.connected(id)
  }

  override disconnected (id: string): number {
    if (id === 'unready') throw new TypeError('bookkeeping failed')
    return super.disconnected(id)
  }
}

function publish (payload: string, qos: 0 | 1, id = 1): Buffer {
  const body = Buffer.concat([field(TOPIC), qos === 1 ? Buffer.from([id >> 8, id & 255]) : Buffer.alloc(0), Buffer.from(payload)])
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(body.length), body])
}
const subscribe = (filter: string, id: number): Buffer => {
  const body = Buffer.concat([Buffer.from([id >> 8, id & 255]), field(filter), Buffer.from([1])])
  return Buffer.concat([Buffer.from([0x82]), remainingLength(body.length), body])
}

for (const fastPath of ['on', 'off']) {
  describe(`a hook that throws is contained (fast path ${fastPath})`, () => {
    let broker: Aedes
    let tcp: MqttListener
    const metrics = createMetrics()
    const reported: Array<[string, Refusal[]]> = []
    const device: DeviceIdentity = { id: 'd', member: 'm', sector: 'retail', format: 'json', topic: 'd' }
    // A format the hub does not know: looking up its subscription filters throws a TypeError.
    const broken = { ...device, id: 'broken', format: 'no-such-format' } as unknown as DeviceIdentity

    beforeAll(async () => {
      broker = await createBroker({
        authenticate (id) {
          if (id === 'explode') throw new Error('registry on fire')
          return id === 'broken' ? broken : id === 'unready' ? { ...device, id } : device
        },
        pipeline: {
          handle (_device, _topic, payload, _qos, done) {
            if (payload.toString() === 'boom') throw new RangeError('Invalid time value')
            setImmediate(() => done(null))
            return { allowed: true }
          }
        },
        committer: { submit: (_readings, done) => setImmediate(() => done(null)) },
        reporter: { report: (_device, _topic, refusals) => { reported.push([_topic, [...refusals]]) } },
        activity: new ThrowingActivity(),
        bus: new EventBus(createRootLogger('silent')),
        metrics,
        log: createRootLogger('silent'),
        config: loadConfig({ TSUDOI_FAST_PATH: fastPath })
      })
      tcp = await listenTcp(broker, '127.0.0.1', 0)
    })
    afterAll(async () => {
      await tcp?.close()
      await new Promise<void>((resolve) => broker?.close(() => resolve()))
    })

    const failures = async (hook: string): Promise<number> =>
      (await metrics.handlerFailures.get()).values.find((v) => v.labels.hook === hook)?.value ?? 0

    it('a payload whose handling throws is refused with PROCESSING_FAILED and acknowledged in order; the connection stays', async () => {
      const client = await rawDevice({ tcp: tcp.port }, `c-${fastPath}`, 'd', 'token')
      await client.write(Buffer.concat([publish('{"a":1}', 1, 1), publish('boom', 1, 2), publish('boom', 0), publish('{"a":2}', 1, 3)]))
      await client.until(() => client.packets.length >= 4)
      expect(client.packets.map((p) => [p.cmd, p.messageId])).toEqual([['connack', undefined], ['puback', 1], ['puback', 2], ['puback', 3]])
      expect(client.closed()).toBe(false)
      expect(reported.filter(([topic]) => topic === TOPIC).map(([, r]) => r[0]!.code)).toEqual(['PROCESSING_FAILED', 'PROCESSING_FAILED'])
      expect(await failures('ingest')).toBe(2)
      client.destroy()
      reported.length = 0
    })

    it('a flood of such payloads at QoS 0 neither stops the hub nor the connection', async () => {
      const client = await rawDevice({ tcp: tcp.port }, `flood-${fastPath}`, 'd', 'token')
      await client.write(Buffer.concat(Array.from({ length: 2000 }, () => publish('boom', 0))))
      await client.write(publish('{"a":3}', 1, 9))
      await client.until(() => client.packets.some((p) => p.cmd === 'puback'))
      expect(client.packets.map((p) => [p.cmd, p.messageId])).toEqual([['connack', undefined], ['puback', 9]])
      client.destroy()
    })

    it('an authenticate that throws refuses that CONNECT with 3 "server unavailable"; the next one is served', async () => {
      const client: RawClient = await openRaw({ tcp: tcp.port })
      await client.write(connectPacket('x', 'explode', 'token'))
      await client.until(() => client.packets.length > 0)
      expect(client.packets.map((p) => [p.cmd, p.returnCode])).toEqual([['connack', 3]])
      expect(await failures('authenticate')).toBeGreaterThanOrEqual(1)
      const next = await rawDevice({ tcp: tcp.port }, 'after', 'd', 'token')
      next.destroy()
    })

    it('a clientReady listener that throws closes that one connection; a clientDisconnect listener that throws is contained', async () => {
      const client = await openRaw({ tcp: tcp.port })
      await client.write(connectPacket('u', 'unready', 'token'))
      await client.until(() => false)
      expect([client.packets.map((p) => [p.cmd, p.returnCode]), client.closed()]).toEqual([[['connack', 0]], true])
      expect(await failures('clientReady')).toBe(1)
      const next = await rawDevice({ tcp: tcp.port }, 'after-unready', 'd', 'token')
      await next.write(publish('{"a":4}', 1, 11))
      await next.until(() => next.packets.length >= 2)
      expect(next.packets.map((p) => [p.cmd, p.messageId])).toEqual([['connack', undefined], ['puback', 11]])
      next.destroy()
      expect(await failures('clientDisconnect')).toBe(1)
    })

    it('an authorizeSubscribe that throws refuses that subscription with 0x80; the connection stays', async () => {
      const client = await rawDevice({ tcp: tcp.port }, 'sub', 'broken', 'token')
      await client.write(subscribe('tsudoi/m/broken/#', 5))
      await client.until(() => client.packets.length >= 2)
      expect(client.packets.map((p) => [p.cmd, p.messageId, p.granted])).toEqual([['connack', undefined, undefined], ['suback', 5, [128]]])
      expect(client.closed()).toBe(false)
      expect(await failures('authorizeSubscribe')).toBeGreaterThanOrEqual(1)
      client.destroy()
    })
  })
}
