import net from 'node:net'
import mqttPacket from 'mqtt-packet'
import { connectPacket } from './raw-mqtt.ts'

// A raw TCP connection to the hub's MQTT port that records what the hub answers (parsed
// with mqtt-packet: the hub's own bytes are well formed) and when it hangs up. For the
// packets mqtt.js never sends: malformed headers, reserved bits, protocol violations.

/** What mqtt-packet gives for one packet from the hub; only the fields the tests read. */
export interface HubPacket {
  cmd: string
  returnCode?: number
  /** MQTT 5 only. */
  reasonCode?: number
  properties?: Record<string, unknown>
  sessionPresent?: boolean
  messageId?: number
  granted?: number[]
  topic?: string
  payload?: Buffer
}

export interface RawConnection {
  socket: net.Socket
  packets: HubPacket[]
  isClosed: () => boolean
  /** Resolves true once the hub has closed the connection, false after `timeoutMs`. */
  closedWithin: (timeoutMs: number) => Promise<boolean>
  /** The first packet (already received or still to come) that matches, or undefined after `timeoutMs`. */
  packet: (match: (p: HubPacket) => boolean, timeoutMs: number) => Promise<HubPacket | undefined>
  /** PINGREQ → PINGRESP [MQTT-3.12.4-1]: proof that the connection is still served. */
  alive: (timeoutMs: number) => Promise<boolean>
  write: (bytes: Buffer) => Promise<void>
  destroy: () => void
}

export const PINGREQ = Buffer.from([0xc0, 0x00])

export async function openRaw (port: number, protocolVersion: 4 | 5 = 4): Promise<RawConnection> {
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {}) // a reset by the hub is one of the outcomes under test
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const parser = mqttPacket.parser({ protocolVersion })
  const packets: HubPacket[] = []
  const listeners = new Set<() => void>()
  const notify = (): void => { for (const listener of [...listeners]) listener() }
  let closed = false
  parser.on('packet', (packet) => { packets.push(packet as unknown as HubPacket); notify() })
  parser.on('error', () => {}) // never expected from the hub; a test would see the missing packet
  socket.on('data', (data) => parser.parse(data))
  socket.once('close', () => { closed = true; notify() })

  /** Waits until `ready()` gives a value or the hub hangs up or time runs out. */
  const until = <T>(ready: () => T | undefined, timeoutMs: number): Promise<T | undefined> => new Promise((resolve) => {
    const check = (): void => {
      const value = ready()
      if (value !== undefined || closed) finish(value)
    }
    const finish = (value: T | undefined): void => {
      clearTimeout(timer)
      listeners.delete(check)
      resolve(value)
    }
    const timer = setTimeout(() => finish(ready()), timeoutMs)
    listeners.add(check)
    check()
  })

  const connection: RawConnection = {
    socket,
    packets,
    isClosed: () => closed,
    closedWithin: async (timeoutMs) => (await until(() => closed ? true : undefined, timeoutMs)) === true,
    packet: (match, timeoutMs) => until(() => packets.find(match), timeoutMs),
    async alive (timeoutMs) {
      if (closed) return false
      const before = packets.filter((p) => p.cmd === 'pingresp').length
      await connection.write(PINGREQ)
      return (await until(() => packets.filter((p) => p.cmd === 'pingresp').length > before ? true : undefined, timeoutMs)) === true
    },
    write: (bytes) => new Promise((resolve) => {
      if (closed || socket.destroyed) return resolve()
      socket.write(bytes, () => resolve())
    }),
    destroy: () => socket.destroy()
  }
  return connection
}

/** A raw connection logged in as a device (CONNACK 0 checked), for packets sent after CONNECT. */
export async function openRawDevice (port: number, clientId: string, username: string, password: string): Promise<RawConnection> {
  const connection = await openRaw(port)
  await connection.write(connectPacket(clientId, username, password))
  const connack = await connection.packet((p) => p.cmd === 'connack', 5000)
  if (connack?.returnCode !== 0) {
    connection.destroy()
    throw new Error(`raw device ${username} was not accepted: ${JSON.stringify(connack)}`)
  }
  return connection
}
