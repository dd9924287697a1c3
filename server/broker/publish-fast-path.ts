import type { Client } from 'aedes'
import type { DeviceIdentity } from '../domain/identity.ts'
import { internalsOf } from './aedes-internals.ts'
import type { PublishHandler } from './contained-ingest.ts'
import type { ParseSlot } from './packet-size-guard.ts'

// The hot path of the hub: telemetry PUBLISHes of a connected device, read straight off the
// wire. Through aedes, each one is parsed into packet objects, authorized, acknowledged with a
// generated PUBACK, then published through the broker's series (retained store, persistence
// lookup, mqemitter match, `publish` event) to reach nobody — a device may subscribe only under
// its own prefix, and almost none do. bench/ measured that as most of the broker's time per
// message. Here a PUBLISH is framed by hand, handed to the same ingest pipeline, and its PUBACK
// written as four bytes once the readings are durable.
//
// Everything else keeps going through aedes, byte for byte and in order: CONNECT, PING,
// SUBSCRIBE, DISCONNECT…, and every PUBLISH that needs the broker — retained, QoS 2, a topic
// aedes would refuse, or from a device that has subscribed (its messages may have a reader).
// Another device cannot be a reader: each may subscribe only within its own topics, plus
// `homeassistant/status`, which no device may publish to (the pipeline refuses it).
// A connection that sends anything this framer does not understand gives its whole stream back
// to aedes for good. The fast path must speak MQTT exactly as aedes does (issue 12, item 8):
// whatever it is unsure of — a QoS 1 packet id of 0 [MQTT-2.3.1-1], a NUL or a byte sequence
// that is not UTF-8 in a topic [MQTT-1.5.3-1/2] — is left to aedes, whose authorizePublish
// (broker.ts) closes the connection for those, as MQTT requires.
// test/broker/fast-path-differential.test.ts feeds random streams to a hub with and one without
// it and compares what comes back. It sits behind the packet-size guard (packet-size-guard.ts),
// which has already closed any connection announcing a packet over its limit.

const PUBLISH = 3
const SUBSCRIBE = 8
// Larger packets (backlogs) take aedes' path; the pipeline's payload limit still applies there.
const MAX_FAST_PACKET = 64 * 1024

export interface FastPathDeps {
  pipeline: PublishHandler
  /** Devices that have asked to subscribe since the hub started: their PUBLISHes go through aedes. */
  subscribers: Set<string>
}

/**
 * PUBACKs of fast-path publishes, held per connection until the end of the tick, so one commit
 * answers a connection's publishes in one write. A PUBACK aedes writes for the same connection
 * flushes these first: PUBACKs leave in the order their PUBLISHes came [MQTT-4.6.0-2].
 */
export class PubackWriter {
  private readonly waiting = new Map<Client, number[]>()
  private scheduled = false

  add (client: Client, messageId: number): void {
    const ids = this.waiting.get(client)
    if (ids === undefined) this.waiting.set(client, [messageId])
    else ids.push(messageId)
    if (!this.scheduled) {
      this.scheduled = true
      process.nextTick(() => this.flushAll())
    }
  }

  flush (client: Client): void {
    const ids = this.waiting.get(client)
    if (ids === undefined) return
    this.waiting.delete(client)
    const conn = internalsOf(client).conn
    if (conn.destroyed === true || conn.writableEnded === true) return
    const bytes = Buffer.allocUnsafe(ids.length * 4)
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      bytes[i * 4] = 0x40 // PUBACK
      bytes[i * 4 + 1] = 2
      bytes[i * 4 + 2] = id >> 8
      bytes[i * 4 + 3] = id & 0xff
    }
    conn.write(bytes)
  }

  private flushAll (): void {
    this.scheduled = false
    for (const client of [...this.waiting.keys()]) this.flush(client)
  }
}

/** Takes over the framing of a ready client's input, or leaves it to aedes when it cannot. */
export function installFastPath (client: Client, identity: DeviceIdentity, deps: FastPathDeps, acks: PubackWriter, slot: ParseSlot): void {
  const internals = internalsOf(client)
  const parser = internals._parser
  // MQTT 5 PUBLISHes carry properties this framer does not read; and bytes aedes already
  // buffered belong to a packet it has started parsing.
  if ((internals.version !== 3 && internals.version !== 4) || parser._list.length > 0 || parser._stateCounter !== 0) return
  const aedesParse = slot.next
  let leftover: Buffer | undefined
  let handedBack = false

  const handBack = (rest: Buffer): void => {
    handedBack = true
    slot.next = aedesParse
    if (rest.length > 0) aedesParse(rest)
  }

  slot.next = (chunk: Buffer): unknown => {
    if (handedBack) return aedesParse(chunk)
    try {
      return frame(chunk)
    } catch (error) {
      // Issue 12, item 1: nothing thrown here may reach the socket's read handler. The framing
      // state is unknown now; this connection ends, no other.
      internals._nextBatch(error as Error)
      return 0
    }
  }

  function frame (chunk: Buffer): number {
    const data = leftover === undefined ? chunk : Buffer.concat([leftover, chunk])
    leftover = undefined
    internals._keepaliveTimer?.refresh()
    // Complete packets for aedes, passed on in one piece before the next fast PUBLISH.
    let slowFrom = -1
    let offset = 0
    while (offset < data.length) {
      const start = offset
      const header = data[offset]!
      let length = 0
      let multiplier = 1
      let cursor = offset + 1
      let complete = false
      for (let n = 0; n < 4 && cursor < data.length; n++) {
        const byte = data[cursor++]!
        length += (byte & 0x7f) * multiplier
        multiplier *= 128
        if ((byte & 0x80) === 0) { complete = true; break }
      }
      if (!complete) {
        if (cursor - offset > 4) { handBack(data.subarray(slowFrom >= 0 ? slowFrom : start)); return 0 } // malformed length
        leftover = Buffer.from(data.subarray(start)) // a copy: the rest of `data` can be freed
        break
      }
      const end = cursor + length
      if (end > data.length) {
        if (length > MAX_FAST_PACKET) { handBack(data.subarray(slowFrom >= 0 ? slowFrom : start)); return 0 }
        leftover = Buffer.from(data.subarray(start))
        break
      }
      const type = header >> 4
      if (type === SUBSCRIBE) deps.subscribers.add(identity.id)
      if (type === PUBLISH && length <= MAX_FAST_PACKET && !deps.subscribers.has(identity.id)) {
        const publish = readPublish(data, header, cursor, end, internals.broker.maxTopicLevels)
        if (publish !== undefined) {
          if (slowFrom >= 0) { aedesParse(data.subarray(slowFrom, start)); slowFrom = -1 }
          if (internals.closed) return 0
          ingest(publish)
          offset = end
          continue
        }
      }
      if (slowFrom < 0) slowFrom = start
      offset = end
    }
    if (slowFrom >= 0) aedesParse(data.subarray(slowFrom, leftover === undefined ? data.length : data.length - leftover.length))
    return leftover?.length ?? 0
  }

  function ingest (publish: FramedPublish): void {
    // aedes' own flow control: the connection's next chunk is read once every packet of this
    // one is answered, so a device cannot publish faster than its readings become durable.
    internals._parsingBatch++
    deps.pipeline.handle(identity, publish.topic, publish.payload, publish.qos, (error) => {
      if (error !== null) {
        // As aedes does when authorizePublish fails: the connection ends, nothing is acknowledged.
        internals._nextBatch(error)
        return
      }
      if (publish.qos === 1) acks.add(client, publish.messageId)
      internals._nextBatch()
    })
  }
}

interface FramedPublish { topic: string, payload: Buffer, qos: 0 | 1, messageId: number }

/** A QoS 0/1, non-retained PUBLISH aedes would accept, or undefined to let aedes handle it. */
function readPublish (data: Buffer, header: number, from: number, end: number, maxTopicLevels: number): FramedPublish | undefined {
  const qos = (header >> 1) & 3
  if ((header & 1) === 1 || qos > 1) return undefined // retained, QoS 2 (or the invalid 3)
  if (from + 2 > end) return undefined
  const topicLength = data.readUInt16BE(from)
  const topicEnd = from + 2 + topicLength
  const payloadFrom = topicEnd + (qos === 1 ? 2 : 0)
  if (topicLength === 0 || payloadFrom > end) return undefined
  const topic = data.toString('utf8', from + 2, topicEnd)
  // U+FFFD stands for any byte sequence that is not UTF-8 (and for itself, which aedes may take too).
  if (topic.includes('+') || topic.includes('#') || topic.includes('\uFFFD') || topic.includes('\u0000') || levels(topic) > maxTopicLevels) return undefined
  const messageId = qos === 1 ? data.readUInt16BE(topicEnd) : 0
  if (qos === 1 && messageId === 0) return undefined
  return { topic, payload: data.subarray(payloadFrom, end), qos: qos as 0 | 1, messageId }
}

function levels (topic: string): number {
  let count = 1
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 47) count++
  return count
}
