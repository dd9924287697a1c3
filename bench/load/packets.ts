import { field, remainingLength } from '../../test/helpers/raw-mqtt.ts'

// MQTT 3.1.1 packets built once and patched in place, so the generator spends its CPU on
// sending, not on encoding (OASIS MQTT 3.1.1, §3.3 PUBLISH, §3.12 PINGREQ). CONNECT is the
// tests' own (test/helpers/raw-mqtt.ts).
export { connectPacket } from '../../test/helpers/raw-mqtt.ts'

export const PINGREQ = Buffer.from([0xc0, 0x00])
export const DISCONNECT = Buffer.from([0xe0, 0x00])

export interface PublishTemplate {
  bytes: Buffer
  /** Offset of the packet identifier, -1 at QoS 0. */
  pidAt: number
  /** Offset of the 13 digits of `ts` (epoch ms). */
  tsAt: number
  /** Offset of the 6 decimal digits of the temperature. */
  fractionAt: number
  payloadBytes: number
}

/**
 * A telemetry PUBLISH in Tsudoi's native format: `{"temperature":…,"humidity":…,"ts":…}` —
 * two metrics and a timestamp — padded with trailing spaces (still valid JSON) to `payloadBytes`.
 */
export function publishTemplate (topic: string, qos: 0 | 1, payloadBytes = 120, seed = 0, mqtt5 = false): PublishTemplate {
  const temperature = `${20 + (seed % 10)}.000000`
  const humidity = `${40 + (seed % 20)}.${String(seed % 1_000_000).padStart(6, '0')}`
  let payload = `{"temperature":${temperature},"humidity":${humidity},"ts":0000000000000}`
  payload = payload.padEnd(payloadBytes, ' ')
  const topicField = field(topic)
  // MQTT 5: an empty property list after the packet id [MQTT-3.3.2.3].
  const pid = Buffer.concat([qos === 1 ? Buffer.from([0, 1]) : Buffer.alloc(0), mqtt5 ? Buffer.from([0]) : Buffer.alloc(0)])
  const body = Buffer.concat([topicField, pid, Buffer.from(payload, 'utf8')])
  const header = Buffer.concat([Buffer.from([qos === 1 ? 0x32 : 0x30]), remainingLength(body.length)])
  const bytes = Buffer.concat([header, body])
  const payloadAt = header.length + topicField.length + pid.length
  return {
    bytes,
    pidAt: qos === 1 ? header.length + topicField.length : -1,
    tsAt: payloadAt + payload.indexOf('"ts":') + 5,
    fractionAt: payloadAt + payload.indexOf('.'),
    payloadBytes: Buffer.byteLength(payload)
  }
}

/** Writes `value` as exactly `width` ASCII digits ending before `at + width`. */
export function writeDigits (buffer: Buffer, at: number, value: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    buffer[i] = 48 + (value % 10)
    value = Math.floor(value / 10)
  }
}

/** An MQTT 5 CONNECT with user name and password and no properties [MQTT-3.1]. */
export function connectPacket5 (clientId: string, username: string, password: string, keepalive = 60): Buffer {
  const body = Buffer.concat([field('MQTT'), Buffer.from([5, 0xc2, keepalive >> 8, keepalive & 255, 0]), field(clientId), field(username), field(password)])
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body])
}
