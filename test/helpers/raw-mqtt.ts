// MQTT 3.1.1 packets built byte by byte, for what mqtt.js will not send (an empty client id
// without clean session) and for floods written straight to a socket.

/** A UTF-8 string with its two-byte length prefix [MQTT-1.5.3]. */
export function field (text: string): Buffer {
  const bytes = Buffer.from(text)
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 255]), bytes])
}

/** Remaining length, variable-byte encoded [MQTT-2.2.3]. */
export function remainingLength (length: number): Buffer {
  const bytes: number[] = []
  do {
    let byte = length % 128
    length = Math.floor(length / 128)
    if (length > 0) byte |= 128
    bytes.push(byte)
  } while (length > 0)
  return Buffer.from(bytes)
}

/** CONNECT with username and password [MQTT-3.1]. */
export function connectPacket (clientId: string, username: string, password: string, clean = true, keepalive = 60): Buffer {
  const flags = 0x80 | 0x40 | (clean ? 0x02 : 0)
  const body = Buffer.concat([field('MQTT'), Buffer.from([4, flags, keepalive >> 8, keepalive & 255]), field(clientId), field(username), field(password)])
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body])
}

/** A QoS 0 PUBLISH [MQTT-3.3], built once and written many times. */
export function qos0Publish (topic: string, payload: string): Buffer {
  const body = Buffer.concat([field(topic), Buffer.from(payload)])
  return Buffer.concat([Buffer.from([0x30]), remainingLength(body.length), body])
}
