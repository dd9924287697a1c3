import net from 'node:net'
import tls from 'node:tls'
import type { Duplex } from 'node:stream'
import mqttPacket from 'mqtt-packet'
import WebSocket, { createWebSocketStream } from 'ws'
import { connectPacket } from '../helpers/raw-mqtt.ts'

// A raw MQTT client over TCP, TLS or WebSocket for the broker's tests: it writes whatever bytes
// a test gives it and records the hub's answers (parsed, and as bytes) and whether the hub hung up.

export interface Answer { cmd: string, returnCode?: number, sessionPresent?: boolean, messageId?: number, granted?: number[], topic?: string, payload?: Buffer }

export interface RawClient {
  stream: Duplex
  packets: Answer[]
  /** Every byte the hub sent, in order. */
  bytes: () => Buffer
  closed: () => boolean
  /** Waits until `ready()` holds or the hub hangs up (or `timeoutMs`, a bound for a broken hub, not a measure). */
  until: (ready: () => boolean, timeoutMs?: number) => Promise<void>
  write: (bytes: Buffer) => Promise<boolean>
  destroy: () => void
}

export type Transport = { tcp: number } | { tls: number, ca: Buffer } | { ws: string }

export async function openRaw (transport: Transport): Promise<RawClient> {
  const stream = await open(transport)
  stream.on('error', () => {}) // a reset by the hub is one of the outcomes under test
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const packets: Answer[] = []
  const received: Buffer[] = []
  const listeners = new Set<() => void>()
  const notify = (): void => { for (const listener of [...listeners]) listener() }
  let closed = false
  parser.on('packet', (packet) => { packets.push(packet as unknown as Answer); notify() })
  parser.on('error', () => {})
  stream.on('data', (data: Buffer) => { received.push(data); parser.parse(data) })
  // A WebSocket stream ends (the hub closed the socket) without closing until its writable side finishes.
  const hungUp = (): void => { closed = true; notify() }
  stream.once('close', hungUp).once('end', hungUp)
  return {
    stream,
    packets,
    bytes: () => Buffer.concat(received),
    closed: () => closed,
    until: (ready, timeoutMs = 10_000) => new Promise<void>((resolve) => {
      const check = (): void => {
        if (!ready() && !closed) return
        clearTimeout(timer)
        listeners.delete(check)
        resolve()
      }
      const timer = setTimeout(() => { listeners.delete(check); resolve() }, timeoutMs)
      listeners.add(check)
      check()
    }),
    write: (bytes) => new Promise((resolve) => {
      if (closed || stream.destroyed) return resolve(false)
      stream.write(bytes, (error) => resolve(error == null))
    }),
    destroy: () => stream.destroy()
  }
}

function open (transport: Transport): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if ('tcp' in transport) {
      const socket = net.connect(transport.tcp, '127.0.0.1')
      socket.once('connect', () => resolve(socket)).once('error', reject)
    } else if ('tls' in transport) {
      const socket = tls.connect({ port: transport.tls, host: '127.0.0.1', ca: transport.ca })
      socket.once('secureConnect', () => resolve(socket)).once('error', reject)
    } else {
      const ws = new WebSocket(transport.ws, 'mqtt')
      ws.once('open', () => resolve(createWebSocketStream(ws))).once('error', reject)
    }
  })
}

/** A raw client logged in as a device; throws unless the CONNACK says 0. */
export async function rawDevice (transport: Transport, clientId: string, username: string, password: string): Promise<RawClient> {
  const client = await openRaw(transport)
  await client.write(connectPacket(clientId, username, password))
  await client.until(() => client.packets.length > 0)
  if (client.packets[0]?.cmd !== 'connack' || client.packets[0].returnCode !== 0) {
    client.destroy()
    throw new Error(`${username} not accepted: ${JSON.stringify(client.packets[0])}`)
  }
  return client
}
