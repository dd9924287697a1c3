import net from 'node:net'
import { Histogram } from '../lib/histogram.ts'
import { DISCONNECT, PINGREQ, type PublishTemplate, connectPacket, connectPacket5, publishTemplate, writeDigits } from './packets.ts'
import type { Command, ConnectCommand, DeviceLogin, Event, RunCommand } from './protocol.ts'

// One load-generator process: raw TCP sockets, pre-built packets patched in place, a fixed
// offered rate paced by the clock. Forked by generator.ts; talks to it over IPC.

const RING = 4096 // > any maxInflight we use: packet ids in flight never share a slot
const MASK = RING - 1
const WRITE_HIGH_WATER = 64 * 1024
/** `npm run bench -- --mqtt5` (bench/run.ts): devices speak MQTT 5. CONNACK and PUBACK are read alike (reason code where the return code was). */
const MQTT5 = process.env.TSUDOI_BENCH_MQTT_VERSION === '5'

const send = (event: Event): void => { process.send!(event) }

class Connection {
  readonly socket: net.Socket
  inflight = 0
  nextPid = 0
  lastTs = 0
  seq = 0
  closed = false
  lastWrite = 0
  sentAt: Float64Array | undefined
  template: PublishTemplate | undefined
  private rest: Buffer | undefined
  private onConnack: ((code: number) => void) | undefined

  constructor (readonly login: DeviceLogin, readonly index: number, host: string, port: number, private readonly onAck: (ms: number) => void) {
    this.socket = net.connect(port, host)
    this.socket.setNoDelay(true)
    this.socket.on('data', (chunk) => this.read(chunk))
    this.socket.on('error', () => {})
    this.socket.on('close', () => { this.closed = true; this.onConnack?.(-1) })
  }

  connect (keepaliveS: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no CONNACK in time')), timeoutMs)
      this.onConnack = (code) => {
        clearTimeout(timer)
        this.onConnack = undefined
        if (code === 0) resolve()
        else reject(new Error(code === -1 ? 'connection closed before CONNACK' : `CONNACK return code ${code}`))
      }
      this.socket.write(MQTT5
        ? connectPacket5(this.login.clientId, this.login.username, this.login.password, keepaliveS)
        : connectPacket(this.login.clientId, this.login.username, this.login.password, true, keepaliveS))
    })
  }

  canSend (maxInflight: number, qos: 0 | 1): boolean {
    if (this.closed || this.socket.writableLength > WRITE_HIGH_WATER) return false
    return qos === 0 || this.inflight < maxInflight
  }

  /** Writes `count` publishes in one buffer; returns the highest ts used. */
  publish (count: number, now: number, wallNow: number, qos: 0 | 1): number {
    const t = this.template!
    const size = t.bytes.length
    const out = Buffer.allocUnsafe(size * count)
    for (let i = 0; i < count; i++) {
      const at = i * size
      t.bytes.copy(out, at)
      // A device's timestamps must be unique: both stores keep one reading per series and time.
      this.lastTs = Math.max(wallNow, this.lastTs + 1)
      writeDigits(out, at + t.tsAt, this.lastTs, 13)
      writeDigits(out, at + t.fractionAt + 1, (this.seq++ * 7919) % 1_000_000, 6)
      if (qos === 1) {
        this.nextPid = this.nextPid === 65535 ? 1 : this.nextPid + 1
        out[at + t.pidAt] = this.nextPid >> 8
        out[at + t.pidAt + 1] = this.nextPid & 0xff
        this.sentAt![this.nextPid & MASK] = now
        this.inflight++
      }
    }
    this.socket.write(out)
    this.lastWrite = now
    return this.lastTs
  }

  ping (): void {
    if (!this.closed) this.socket.write(PINGREQ)
  }

  close (): void {
    if (!this.closed) this.socket.end(DISCONNECT)
    setTimeout(() => this.socket.destroy(), 50).unref()
  }

  private read (chunk: Buffer): void {
    const buffer = this.rest === undefined ? chunk : Buffer.concat([this.rest, chunk])
    this.rest = undefined
    let i = 0
    while (i + 2 <= buffer.length) {
      const type = buffer[i]! >> 4
      let length = 0
      let multiplier = 1
      let j = i + 1
      let byte: number
      let complete = true
      do {
        if (j >= buffer.length) { complete = false; break }
        byte = buffer[j++]!
        length += (byte & 0x7f) * multiplier
        multiplier *= 128
      } while ((byte & 0x80) !== 0)
      if (!complete || j + length > buffer.length) break
      if (type === 4 && length >= 2) this.puback(buffer.readUInt16BE(j))
      else if (type === 2 && length >= 2) this.onConnack?.(buffer[j + 1]!)
      i = j + length
    }
    if (i < buffer.length) this.rest = Buffer.from(buffer.subarray(i))
  }

  private puback (pid: number): void {
    const slot = pid & MASK
    const sent = this.sentAt?.[slot] ?? 0
    if (sent === 0) return
    this.sentAt![slot] = 0
    this.inflight--
    this.onAck(performance.now() - sent)
  }
}

let connections: Connection[] = []
let histogram = new Histogram()
let acked = 0
let pinger: NodeJS.Timeout | undefined

async function connectAll (command: ConnectCommand): Promise<void> {
  const started = performance.now()
  let failed = 0
  let firstError: string | undefined
  let next = 0
  const onAck = (ms: number): void => { histogram.record(ms); acked++ }
  // Keepalive [MQTT-3.1.2-24]: a PINGREQ well within the keepalive when a connection was quiet.
  // Started before connecting: the first connections must not time out while the last connect.
  const everyMs = (command.keepaliveS * 1000) / 2
  clearInterval(pinger)
  pinger = setInterval(() => {
    const now = performance.now()
    for (const connection of connections) if (now - connection.lastWrite >= everyMs) { connection.ping(); connection.lastWrite = now }
  }, Math.min(everyMs, 1000))
  const runner = async (): Promise<void> => {
    while (next < command.devices.length) {
      const index = next++
      const connection = new Connection(command.devices[index]!, index, command.host, command.port, onAck)
      try {
        await connection.connect(command.keepaliveS, command.timeoutMs)
        connection.lastWrite = performance.now()
        connections.push(connection)
      } catch (error) {
        failed++
        firstError ??= (error as Error).message
        connection.socket.destroy()
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, command.concurrency) }, runner))
  send({ ev: 'connected', connected: connections.length, failed, ...(firstError === undefined ? {} : { firstError }), ms: performance.now() - started })
}

async function run (command: RunCommand): Promise<void> {
  histogram = new Histogram()
  acked = 0
  const live = connections.filter((c) => !c.closed)
  live.forEach((c, i) => {
    c.template = publishTemplate(c.login.topic, command.qos, command.payloadBytes, c.index + i, MQTT5)
    c.sentAt ??= new Float64Array(RING)
    c.sentAt.fill(0)
    c.inflight = 0
  })
  const closedBefore = connections.filter((c) => c.closed).length
  while (Date.now() < command.startAt) await new Promise((resolve) => setTimeout(resolve, Math.min(5, command.startAt - Date.now())))
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const end = start + command.durationMs
  let offered = 0
  let sent = 0
  let cursor = 0
  let maxTs = 0
  const counts = new Uint32Array(live.length)

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now()
      const due = Math.floor((command.rate * Math.min(now - start, command.durationMs)) / 1000)
      offered = due
      // What could not be sent earlier (every window full) is sent as soon as a window opens.
      let owed = due - sent
      let misses = 0
      while (owed > 0 && misses < live.length && live.length > 0) {
        const index = cursor
        cursor = (cursor + 1) % live.length
        const connection = live[index]!
        if (counts[index]! + (command.qos === 1 ? connection.inflight : 0) < (command.qos === 1 ? command.maxInflight : 64) && connection.canSend(command.maxInflight, command.qos)) {
          counts[index]!++
          owed--
          misses = 0
        } else {
          misses++
        }
      }
      const wallNow = Date.now()
      for (let i = 0; i < live.length; i++) {
        const n = counts[i]!
        if (n === 0) continue
        counts[i] = 0
        maxTs = Math.max(maxTs, live[i]!.publish(n, now, wallNow, command.qos))
        sent += n
      }
      if (now >= end) resolve()
      else setTimeout(tick, 2)
    }
    tick()
  })
  const stoppedAt = Date.now()
  const drainUntil = performance.now() + command.drainMs
  const settled = (): boolean => live.every((c) => c.closed || (c.inflight === 0 && c.socket.writableLength === 0))
  while (!settled() && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 5))
  const settledAt = Date.now()
  const cpu = process.cpuUsage(cpuBefore)
  send({
    ev: 'ran',
    offered,
    sent,
    acked,
    unacked: command.qos === 1 ? live.reduce((sum, c) => sum + c.inflight, 0) : 0,
    closed: connections.filter((c) => c.closed).length - closedBefore,
    latency: histogram.toSparse(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    stoppedAt,
    settledAt,
    maxTs
  })
}

process.on('message', (command: Command) => {
  const work = command.cmd === 'connect'
    ? connectAll(command)
    : command.cmd === 'run'
      ? run(command)
      : command.cmd === 'status'
        ? (async () => {
            const closed = connections.filter((c) => c.closed).length
            send({ ev: 'status', open: connections.length - closed, closed })
          })()
        : (async () => {
          clearInterval(pinger)
          for (const connection of connections) connection.close()
          connections = []
          send({ ev: 'closed' })
          setTimeout(() => process.exit(0), 100).unref()
        })()
  work.catch((error: unknown) => send({ ev: 'error', message: (error as Error).stack ?? String(error) }))
})
// The parent is gone: nothing left to do.
process.on('disconnect', () => process.exit(0))
