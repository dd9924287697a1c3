import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'
import { field, remainingLength } from '../helpers/raw-mqtt.ts'
import { openRaw, rawDevice } from './raw-client.ts'

// Issue 12, item 8: what MQTT says a server must close on, closed on both the fast path and
// aedes' path: a QoS 1/2 packet id of 0 [MQTT-2.3.1-1], U+0000 [MQTT-1.5.3-2] and ill-formed
// UTF-8 [MQTT-1.5.3-1] in a topic, a topic filter or a client id.

const packet = (first: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([first]), remainingLength(body.length), body])
const rawField = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 255]), bytes])
const publish = (topic: Buffer, qos: 0 | 1 | 2, id: number, payload = '{"temperature":20}'): Buffer =>
  packet(0x30 | (qos << 1), Buffer.concat([rawField(topic), qos > 0 ? Buffer.from([id >> 8, id & 255]) : Buffer.alloc(0), Buffer.from(payload)]))

for (const fastPath of ['on', 'off']) {
  describe(`strings and packet ids MQTT forbids close the connection (fast path ${fastPath})`, () => {
    let t: TestHub
    let p: Provisioned
    let own: string
    beforeAll(async () => {
      t = await startTestHub({ TSUDOI_FAST_PATH: fastPath })
      p = await provision(t, 'strict', 'retail')
      own = p.device.topic.replace(/\/telemetry$/, '')
    })
    afterAll(async () => { await t?.stop() })

    const cases: Array<[string, () => Buffer]> = [
      ['a QoS 1 PUBLISH with packet id 0', () => publish(Buffer.from(`${own}/telemetry`), 1, 0)],
      ['a QoS 2 PUBLISH with packet id 0', () => publish(Buffer.from(`${own}/telemetry`), 2, 0)],
      ['a topic holding U+0000', () => publish(Buffer.from(`${own}/tele\u0000metry`), 1, 5)],
      ['a topic that is not UTF-8', () => publish(Buffer.concat([Buffer.from(`${own}/`), Buffer.from([0xc3, 0x28])]), 0, 0)],
      ['a topic with an encoded surrogate', () => publish(Buffer.concat([Buffer.from(`${own}/`), Buffer.from([0xed, 0xa0, 0x80])]), 1, 6)],
      ['a topic filter holding U+0000', () => packet(0x82, Buffer.concat([Buffer.from([0, 7]), rawField(Buffer.from(`${own}/\u0000`)), Buffer.from([0])]))]
    ]
    for (const [name, bytes] of cases) {
      it(`${name}: closed, nothing acknowledged; the next connection is served`, async () => {
        const device = await rawDevice({ tcp: t.hub.mqttPort }, 'strict', p.device.id, p.device.token)
        await device.write(bytes())
        await device.until(() => false)
        expect([device.closed(), device.packets.map((x) => x.cmd)]).toEqual([true, ['connack']])
        const next = await rawDevice({ tcp: t.hub.mqttPort }, 'next', p.device.id, p.device.token)
        await next.write(publish(Buffer.from(`${own}/telemetry`), 1, 9))
        await next.until(() => next.packets.length >= 2)
        expect(next.packets.map((x) => [x.cmd, x.messageId])).toEqual([['connack', undefined], ['puback', 9]])
        next.destroy()
      })
    }

    it('a client id holding U+0000 or bytes that are not UTF-8: closed without a CONNACK', async () => {
      for (const id of [Buffer.from([0x61, 0x00, 0x62]), Buffer.from([0x61, 0xc3, 0x28])]) {
        const client = await openRaw({ tcp: t.hub.mqttPort })
        const body = Buffer.concat([field('MQTT'), Buffer.from([4, 0xc2, 0, 60]), rawField(id), field(p.device.id), field(p.device.token)])
        await client.write(packet(0x10, body))
        await client.until(() => false)
        expect([client.closed(), client.packets]).toEqual([true, []])
      }
    })

    it('a will with QoS 3 [MQTT-3.1.2-14] or a will topic holding U+0000: closed without a CONNACK', async () => {
      for (const [qos, topic] of [[3, `${own}/status`], [1, `${own}/sta\u0000tus`]] as const) {
        const client = await openRaw({ tcp: t.hub.mqttPort })
        const flags = 0xc2 | 0x04 | (qos << 3)
        const body = Buffer.concat([field('MQTT'), Buffer.from([4, flags, 0, 60]), field('w'), field(topic), field('offline'), field(p.device.id), field(p.device.token)])
        await client.write(packet(0x10, body))
        await client.until(() => false)
        expect([client.closed(), client.packets]).toEqual([true, []])
      }
    })
  })
}
