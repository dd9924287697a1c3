import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { type ChildHub, exited, startChildHub } from './child-hub.ts'

// One hub in its own process for a whole hostile-input suite: a case that kills it is seen
// (the process exits), its memory is read from /proc, and the canary — a QoS 1 reading
// acknowledged, then read back through the member API — proves after every case that the
// hub still takes and stores data. A hub that died is recorded and started again on the
// same data dir (the registry survives), so one bug does not hide the cases after it.

export const ADMIN_TOKEN = 'hostile-suite-admin-token'
const EPOCH_2000 = 946_684_800_000

export interface ApiResult { status: number, body: any }

export interface HubDevice { id: string, member: string, token: string, topic: string, format: string }

/** A device of the suite with its open mqtt.js connection and what arrived on its errors topic. */
export interface LiveDevice extends HubDevice {
  client: MqttClient
  errors: Array<{ code: string, message: string, topic: string }>
}

/** What came back for a raw HTTP request: status 0 when the hub closed without a status line. */
export interface HttpAnswer { status: number, head: string, body: string, closed: boolean }

export interface Death { during: string, exitCode: number | null, output: string }

export class HostileHub {
  hub!: ChildHub
  readonly deaths: Death[] = []
  readonly rssSamples: Array<{ after: string, rssKiB: number }> = []
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-hostile-'))
  private readonly live = new Map<string, LiveDevice>()
  private canarySeq = 0
  private markSeq = 0

  constructor (private readonly env: Record<string, string>) {}

  get mqttPort (): number { return this.hub.mqttPort }
  get mqttUrl (): string { return `mqtt://127.0.0.1:${this.hub.mqttPort}` }

  async start (): Promise<void> {
    this.hub = await startChildHub({ TSUDOI_DATA_DIR: this.dataDir, TSUDOI_ADMIN_TOKEN: ADMIN_TOKEN, TSUDOI_SYNC: 'normal', TSUDOI_LOG_LEVEL: 'error',
      // Hundreds of cases open connections from 127.0.0.1 back to back; the per-address rate itself
      // is attacked in test/broker/limits-before-trust.test.ts.
      TSUDOI_CONNECT_RATE_PER_ADDRESS: '10000', ...this.env })
  }

  async stop (): Promise<void> {
    for (const device of this.live.values()) device.client.end(true)
    if (this.isAlive()) {
      this.hub.process.kill('SIGTERM')
      await exited(this.hub.process)
    }
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  isAlive (): boolean {
    return this.hub.process.exitCode === null && this.hub.process.signalCode === null
  }

  /** The hub process' resident set, from /proc (Linux). */
  rssKiB (): number {
    const status = readFileSync(`/proc/${this.hub.process.pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  }

  /** After a case: a dead hub is recorded against it and started again; returns whether it had lived. */
  async survived (caseId: string): Promise<boolean> {
    if (this.isAlive()) {
      this.rssSamples.push({ after: caseId, rssKiB: this.rssKiB() })
      return true
    }
    this.deaths.push({ during: caseId, exitCode: this.hub.process.exitCode, output: this.hub.output().slice(-2000) })
    for (const device of this.live.values()) device.client.end(true)
    this.live.clear()
    await this.start()
    return false
  }

  async api (path: string, options: { method?: string, token?: string, body?: unknown, raw?: string } = {}): Promise<ApiResult> {
    const headers: Record<string, string> = {}
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`http://127.0.0.1:${this.hub.httpPort}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
    const text = await response.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch { /* not JSON: keep the text */ }
    return { status: response.status, body: parsed }
  }

  /**
   * Writes bytes to the HTTP port as they are (fetch would normalise a path or refuse a
   * header) and reads until the hub closes, or `timeoutMs` passes.
   */
  rawHttp (request: Buffer, timeoutMs = 20_000): Promise<HttpAnswer> {
    return new Promise((resolve) => {
      const socket = net.connect(this.hub.httpPort, '127.0.0.1')
      const chunks: Buffer[] = []
      const finish = (closed: boolean): void => {
        clearTimeout(timer)
        socket.destroy()
        const text = Buffer.concat(chunks).toString('latin1')
        const at = text.indexOf('\r\n\r\n')
        const head = at === -1 ? text : text.slice(0, at)
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: at === -1 ? '' : text.slice(at + 4), closed })
      }
      const timer = setTimeout(() => finish(false), timeoutMs)
      socket.on('data', (chunk) => chunks.push(chunk))
      socket.on('error', () => {}) // a reset is an answer too: `close` follows
      socket.once('close', () => finish(true))
      socket.write(request)
    })
  }

  admin (path: string, body?: unknown): Promise<ApiResult> {
    return this.api(path, { token: ADMIN_TOKEN, body })
  }

  /** Registers a member (returns its access key). */
  async member (id: string, sector = 'retail'): Promise<string> {
    const m = await this.admin('/api/admin/members', { id, name: `Member ${id}`, sector })
    if (m.status !== 201) throw new Error(`member ${id}: ${JSON.stringify(m.body)}`)
    return m.body.accessKey
  }

  async device (member: string, id: string, format = 'json', topic?: string): Promise<HubDevice> {
    const d = await this.admin('/api/admin/devices', { member, id, name: `Device ${id}`, format, ...(topic === undefined ? {} : { topic }) })
    if (d.status !== 201) throw new Error(`device ${id}: ${JSON.stringify(d.body)}`)
    return { id, member, token: d.body.token, topic: d.body.topic, format }
  }

  /** The device's mqtt.js connection, subscribed to its errors topic; opened again if the hub dropped it. */
  async connected (device: HubDevice): Promise<LiveDevice> {
    const existing = this.live.get(device.id)
    if (existing !== undefined && existing.client.connected) return existing
    existing?.client.end(true)
    const client = mqtt.connect(this.mqttUrl, { clientId: `${device.id}-suite`, username: device.id, password: device.token, reconnectPeriod: 0, connectTimeout: 5000 })
    client.on('error', () => {}) // a refused or dropped connection is asserted by the cases, not thrown here
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve())
      client.once('close', () => reject(new Error(`${device.id} could not connect`)))
    })
    const live: LiveDevice = { ...device, client, errors: [] }
    const errorsTopic = `tsudoi/${device.member}/${device.id}/errors`
    client.on('message', (topic, payload) => {
      if (topic === errorsTopic) live.errors.push(JSON.parse(payload.toString()))
    })
    await client.subscribeAsync(errorsTopic, { qos: 0 })
    this.live.set(device.id, live)
    return live
  }

  /**
   * The refusals a device received up to now, in order: a marker payload (an invalid metric
   * name carrying a sequence number) is published after the case, and everything on the
   * errors topic before the marker's refusal belongs to the case.
   */
  async refusalsSince (device: LiveDevice, from: number, timeoutMs = 10_000): Promise<Array<{ code: string, message: string, topic: string }>> {
    const mark = `~mark-${++this.markSeq}`
    await withTimeout(device.client.publishAsync(`tsudoi/${device.member}/${device.id}/telemetry`, JSON.stringify({ [mark]: 1 }), { qos: 1 }), timeoutMs, 'marker PUBACK')
    const deadline = Date.now() + timeoutMs
    let at = -1
    while ((at = device.errors.findIndex((e, i) => i >= from && e.message.includes(mark))) === -1) {
      if (Date.now() > deadline || !device.client.connected) throw new Error(`the marker refusal ${mark} never arrived`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return device.errors.slice(from, at)
  }

  /** Every stored reading of a device, as `time|metric|value` keys (all of them: the API caps at 10000). */
  async storedKeys (memberKey: string, deviceId: string): Promise<string[]> {
    const to = Date.now() + 3 * 86_400_000
    const result = await this.api(`/api/me/readings?device=${deviceId}&from=${EPOCH_2000}&to=${to}&limit=10000`, { token: memberKey })
    if (result.status !== 200) throw new Error(`readings of ${deviceId}: ${result.status} ${JSON.stringify(result.body)}`)
    return result.body.readings.map((r: { time: number, metric: string, value: number }) => `${r.time}|${r.metric}|${r.value}`)
  }

  /**
   * The canary: one QoS 1 reading with a fresh value, its PUBACK awaited, then read back
   * through the member API. Returns what went wrong, or undefined when the hub still works.
   */
  async canary (device: HubDevice, memberKey: string): Promise<string | undefined> {
    const seq = ++this.canarySeq
    try {
      const live = await this.connected(device)
      await withTimeout(live.client.publishAsync(`tsudoi/${device.member}/${device.id}/telemetry`, JSON.stringify({ canary: seq }), { qos: 1 }), 10_000, 'canary PUBACK')
      const result = await this.api(`/api/me/readings?device=${device.id}&metric=canary&limit=1`, { token: memberKey })
      const value = result.body?.readings?.[0]?.value
      return value === seq ? undefined : `canary ${seq} acknowledged but the store answers ${JSON.stringify(result.body)}`
    } catch (error) {
      return `canary ${seq}: ${(error as Error).message}`
    }
  }
}

export async function withTimeout<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
