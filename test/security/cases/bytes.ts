import { field, remainingLength } from '../../helpers/raw-mqtt.ts'

// MQTT 3.1.1 packets with every field under the test's control, valid or not.

/** A packet: first byte, the remaining length (announced: may differ from the body), the body. */
export function packet (first: number, body: Buffer, announced = body.length): Buffer {
  return Buffer.concat([Buffer.from([first]), remainingLength(announced), body])
}

/** A length-prefixed string from raw bytes (invalid UTF-8 included) [MQTT-1.5.3]. */
export function bytesField (bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 255]), bytes])
}

export interface ConnectFields {
  protocol?: Buffer
  level?: number
  flags?: number
  clientId?: Buffer
  will?: { topic: string, message: string }
  username?: Buffer
  password?: Buffer
  first?: number
}

/** CONNECT [MQTT-3.1]; flags are taken as given (not derived from the fields present). */
export function connect (c: ConnectFields): Buffer {
  const parts = [c.protocol ?? field('MQTT'), Buffer.from([c.level ?? 4, c.flags ?? 0x02, 0, 60]), c.clientId ?? field('hostile')]
  if (c.will) parts.push(field(c.will.topic), field(c.will.message))
  if (c.username) parts.push(c.username)
  if (c.password) parts.push(c.password)
  return packet(c.first ?? 0x10, Buffer.concat(parts))
}

/** PUBLISH [MQTT-3.3] with a topic given as raw bytes; flags are the low nibble of the first byte. */
export function publishBytes (topic: Buffer, payload: string | Buffer, flags = 0x02, id = 1): Buffer {
  const qos = (flags >> 1) & 3
  const body = Buffer.concat([bytesField(topic), qos > 0 ? Buffer.from([id >> 8, id & 255]) : Buffer.alloc(0), Buffer.from(payload)])
  return packet(0x30 | flags, body)
}

export const publish = (topic: string, payload: string | Buffer, flags = 0x02, id = 1): Buffer => publishBytes(Buffer.from(topic), payload, flags, id)

/** SUBSCRIBE [MQTT-3.8] of (filter, options byte) pairs. */
export function subscribe (filters: Array<[Buffer | string, number]>, first = 0x82, id = 1): Buffer {
  const body = Buffer.concat([Buffer.from([id >> 8, id & 255]), ...filters.flatMap(([f, o]) => [typeof f === 'string' ? field(f) : bytesField(f), Buffer.from([o])])])
  return packet(first, body)
}

/** UNSUBSCRIBE [MQTT-3.10]. */
export function unsubscribe (filters: string[], first = 0xa2, id = 1): Buffer {
  return packet(first, Buffer.concat([Buffer.from([id >> 8, id & 255]), ...filters.map((f) => field(f))]))
}

/** A packet of only a packet identifier (PUBACK, PUBREC, PUBREL, PUBCOMP). */
export const idOnly = (first: number, id: number): Buffer => packet(first, Buffer.from([id >> 8, id & 255]))

/** Deterministic bytes (a linear congruential generator), so a failing case replays exactly. */
export function garbage (length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length)
  let state = seed >>> 0
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

export { field }
