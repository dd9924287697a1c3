import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, provision, startTestHub } from '../helpers/hub.ts'
import { field, remainingLength } from '../helpers/raw-mqtt.ts'
import { type Answer, type RawClient, rawDevice } from './raw-client.ts'

// Issue 12, item 8: the fast path (server/broker/publish-fast-path.ts) must speak MQTT exactly
// as aedes does. Random packet streams — valid, malformed, cut short at random bytes, written in
// random segments — go to a hub with the fast path and to one without; what comes back, whether
// the hub hangs up, and what is stored must be the same.
//
// "The same bytes back" is compared per packet type, in order: MQTT orders acknowledgements of
// one kind [MQTT-4.6.0-2], but whether a PINGRESP overtakes a PUBACK waiting on a commit depends
// on how TCP coalesced the segments, on either hub. When the hub hangs up, acknowledgements still
// waiting on a commit are lost with the connection (on both paths), so there each sequence must be
// a prefix of the other's.

const MAX_PAYLOAD = 2048
const BASE = Date.UTC(2026, 0, 1)
const SENTINEL_ID = 65_535
const PLACEHOLDER = 'tsudoi/d____/d____-d1'

type Piece = { bytes: Buffer, cut?: number }

function packet (firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body])
}
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 255])
const rawField = (bytes: Buffer): Buffer => Buffer.concat([u16(bytes.length), bytes])

/** The topics a device may try: its own, others', and every oddity of [MQTT-4.7] and [MQTT-1.5.3]. */
const topicArb = (own: string): fc.Arbitrary<Buffer> => fc.oneof(
  { weight: 6, arbitrary: fc.constant(Buffer.from(`${own}/telemetry`)) },
  { weight: 2, arbitrary: fc.constantFrom('temperature', 'humidity', 'status', 'errors', 'cmd/led').map((leaf) => Buffer.from(`${own}/${leaf}`)) },
  fc.constantFrom('tsudoi/other/other-d1/telemetry', '$SYS/x', 'tsudoi/+/x', 'tsudoi/#', '', 'a'.repeat(300)).map((t) => Buffer.from(t)),
  fc.constant(Buffer.from(`${own}/tele\u0000metry`)),
  fc.constant(Buffer.concat([Buffer.from(`${own}/`), Buffer.from([0xff, 0xfe]), Buffer.from('telemetry')])), // not UTF-8
  fc.constant(Buffer.concat([Buffer.from(`${own}/`), Buffer.from([0xed, 0xa0, 0x80])])), // an encoded surrogate
  fc.constant(Buffer.from(Array.from({ length: 120 }, () => 'x').join('/'))) // more levels than aedes allows
)

const payloadArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ metric: fc.constantFrom('temperature', 'humidity', 'power'), value: fc.integer({ min: -50, max: 500 }), ts: fc.integer({ min: 0, max: 100_000 }) })
    .map(({ metric, value, ts }) => Buffer.from(JSON.stringify({ [metric]: value, ts: BASE + ts }))) },
  fc.integer({ min: 0, max: 100 }).map((n) => Buffer.from(String(n))),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
  fc.integer({ min: MAX_PAYLOAD - 2, max: MAX_PAYLOAD + 2 }).map((n) => Buffer.from(`{"power":1${' '.repeat(Math.max(0, n - 11))}}`))
)

const pieceArb = (own: string): fc.Arbitrary<Piece> => fc.oneof(
  { weight: 10, arbitrary: fc.record({ qos: fc.constantFrom(0, 1, 1, 2), retain: fc.integer({ min: 0, max: 7 }).map((n) => n === 0), dup: fc.boolean(), id: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })), topic: topicArb(own), payload: payloadArb })
    .map(({ qos, retain, dup, id, topic, payload }) => packet(0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0), Buffer.concat([rawField(topic), qos > 0 ? u16(id) : Buffer.alloc(0), payload]))) },
  fc.constant(Buffer.from([0xc0, 0])), // PINGREQ
  fc.integer({ min: 0, max: 1000 }).map((id) => packet(0x40, u16(id))), // a PUBACK for nothing
  fc.integer({ min: 0, max: 1000 }).map((id) => packet(0x62, u16(id))), // PUBREL
  fc.constantFrom(0xc1, 0x31 | 6, 0x00, 0xf0, 0x20, 0x10, 0xe0).map((b) => Buffer.from([b, 0])), // reserved flags, QoS 3, reserved types, CONNACK, a second CONNECT, DISCONNECT
  fc.constant(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), // a fifth length byte
  fc.record({ topic: topicArb(own), id: fc.integer({ min: 0, max: 3 }) }).map(({ topic, id }) => packet(0x32, Buffer.concat([rawField(topic), u16(id)]).subarray(0, 3))), // shorter than its topic
  fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => Buffer.from(b))
).chain((bytes) => fc.option(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { freq: 8 }).map((cut) => ({ bytes, cut: cut ?? undefined })))

const caseArb = (own: string) => fc.record({
  pieces: fc.array(pieceArb(own), { minLength: 1, maxLength: 14 }),
  segments: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 12 })
})

/** What it takes to finish the last packet of `stream` so the sentinel after it is framed on its own; undefined when it announced more than any limit. */
function completion (stream: Buffer): Buffer | undefined {
  let offset = 0
  while (offset < stream.length) {
    let length = 0
    let multiplier = 1
    let cursor = offset + 1
    let done = false
    for (let n = 0; n < 4 && cursor < stream.length; n++) {
      const byte = stream[cursor++]!
      length += (byte & 0x7f) * multiplier
      multiplier *= 128
      if ((byte & 0x80) === 0) { done = true; break }
    }
    if (!done) return cursor - offset > 4 ? undefined : Buffer.from([0]) // a length cut short: a 0 ends it
    if (cursor + length > stream.length) {
      const missing = cursor + length - stream.length
      return missing > 32 * 1024 ? undefined : Buffer.alloc(missing)
    }
    offset = cursor + length
  }
  return Buffer.alloc(0)
}

/** The hub's answers as comparable text, by packet type; PUBLISHes lose their `time` (the hub's clock). */
function byType (packets: Answer[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const p of packets.slice(1)) {
    const text = p.cmd === 'publish'
      ? `${p.topic} ${p.payload!.toString().replace(/"time":\d+/, '"time":…')}`
      : JSON.stringify([p.messageId, p.granted, p.returnCode])
    ;(out[p.cmd] ??= []).push(text)
  }
  return out
}

/** Cases worth running every time: the (QoS 1 id 0, a NUL, bytes that are not UTF-8) and what earlier runs found. */
const publishOwn = (topic: Buffer, id: number, payload = '{"power":3}'): Piece => ({ bytes: packet(0x32, Buffer.concat([rawField(topic), u16(id), Buffer.from(payload)])) })
const EXAMPLES: Array<[{ pieces: Piece[], segments: number[] }]> = [
  [{ pieces: [publishOwn(Buffer.from(`${PLACEHOLDER}/telemetry`), 0)], segments: [400] }],
  [{ pieces: [publishOwn(Buffer.from(`${PLACEHOLDER}/tele\u0000metry`), 3)], segments: [400] }],
  [{ pieces: [publishOwn(Buffer.concat([Buffer.from(`${PLACEHOLDER}/`), Buffer.from([0xc3, 0x28])]), 4)], segments: [400] }],
  [{ pieces: [{ bytes: Buffer.from([0x62, 2, 0, 54]), cut: 1 }], segments: [1] }]
]

const isPrefix = (a: string[], b: string[]): boolean => a.every((x, i) => b[i] === x)

describe('the fast path answers exactly as aedes does', () => {
  let fast: TestHub
  let slow: TestHub
  let run = 0

  beforeAll(async () => {
    const env = { TSUDOI_MAX_PAYLOAD: String(MAX_PAYLOAD), TSUDOI_CONNECT_RATE_PER_ADDRESS: '100000', TSUDOI_COMMIT_WINDOW_MS: '1' }
    fast = await startTestHub({ ...env, TSUDOI_FAST_PATH: 'on' })
    slow = await startTestHub({ ...env, TSUDOI_FAST_PATH: 'off' })
  })
  afterAll(async () => { await Promise.all([fast?.stop(), slow?.stop()]) })

  /** Plays one case against one hub: what came back, whether it hung up, what it stored. */
  async function play (t: TestHub, member: string, stream: Buffer, segments: number[]) {
    const p = await provision(t, member, 'retail')
    const device = await rawDevice({ tcp: t.hub.mqttPort }, 'diff', p.device.id, p.device.token)
    ;(device.stream as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
    let offset = 0
    for (let i = 0; offset < stream.length && !device.closed(); i++) {
      const size = segments[i % segments.length]!
      await device.write(stream.subarray(offset, offset + size))
      offset += size
    }
    const sentinel = (a: Answer): boolean => a.cmd === 'puback' && a.messageId === SENTINEL_ID
    await device.until(() => device.packets.some(sentinel))
    const closed = device.closed()
    device.destroy()
    // A barrier: once another connection's QoS 1 PUBLISH is acknowledged, every earlier commit is done.
    const barrier: RawClient = await rawDevice({ tcp: t.hub.mqttPort }, 'barrier', p.device.id, p.device.token)
    await barrier.write(packet(0x32, Buffer.concat([field(`${p.device.topic.replace(/\/telemetry$/, '')}/status`), u16(1), Buffer.from('online')])))
    await barrier.until(() => barrier.packets.length >= 2)
    barrier.destroy()
    const stored = await t.hub.store.readings({ member, from: 0, to: Date.now() + 86_400_000, limit: 10_000 })
    return {
      answers: byType(device.packets),
      closed,
      stored: stored.map((r) => `${r.metric}=${r.value}@${r.time < BASE + 1e6 ? r.time : 'now'}`).sort()
    }
  }

  it('gives the same answers, the same disconnects and the same stored readings for random streams', async () => {
    await fc.assert(fc.asyncProperty(caseArb(PLACEHOLDER), async ({ pieces, segments }) => {
      // Each case gets a member of its own; its name has the placeholder's length, so no length field changes.
      const member = `d${String(run++).padStart(4, '0')}`
      const own = `tsudoi/${member}/${member}-d1`
      const bytes = Buffer.concat(pieces.map(({ bytes, cut }) => {
        const b = Buffer.from(bytes.toString('latin1').replaceAll(PLACEHOLDER, own), 'latin1')
        return cut === undefined ? b : b.subarray(0, cut)
      }))
      const tail = completion(bytes)
      const sentinel = packet(0x32, Buffer.concat([field(`${own}/telemetry`), u16(SENTINEL_ID), Buffer.from(JSON.stringify({ power: 7, ts: BASE + 999 }))]))
      const stream = Buffer.concat([bytes, tail ?? Buffer.alloc(0), tail === undefined ? Buffer.alloc(0) : sentinel])
      const [a, b] = await Promise.all([play(fast, member, stream, segments), play(slow, member, stream, segments)])
      expect(a.closed).toBe(b.closed)
      expect(a.stored).toEqual(b.stored)
      if (!a.closed) {
        expect(a.answers).toEqual(b.answers)
      } else {
        for (const type of new Set([...Object.keys(a.answers), ...Object.keys(b.answers)])) {
          const [x, y] = [a.answers[type] ?? [], b.answers[type] ?? []]
          expect(isPrefix(x, y) || isPrefix(y, x), `${type}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`).toBe(true)
        }
      }
    }), { numRuns: 40, examples: EXAMPLES })
  }, 120_000)
})
