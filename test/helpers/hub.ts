import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { loadConfig } from '../../server/config.ts'
import { type Hub, type HubOptions, createHub } from '../../server/hub.ts'

export interface TestHub {
  hub: Hub
  dataDir: string
  /** fetch against the hub's HTTP API with an optional bearer token; JSON in, JSON out. */
  api: (path: string, options?: { method?: string, token?: string, body?: unknown }) => Promise<{ status: number, body: any }>
  admin: (path: string, body?: unknown, method?: string) => Promise<{ status: number, body: any }>
  stop: () => Promise<void>
}

/** A real hub on free ports of 127.0.0.1 with a fresh data dir. */
export async function startTestHub (env: Record<string, string> = {}, options: HubOptions = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-test-'))
  const config = loadConfig({
    TSUDOI_DATA_DIR: dataDir,
    TSUDOI_HOST: '127.0.0.1',
    TSUDOI_MQTT_PORT: '0',
    TSUDOI_HTTP_PORT: '0',
    TSUDOI_LOG_LEVEL: process.env.TSUDOI_TEST_LOG ?? 'silent',
    TSUDOI_SYNC: 'normal',
    ...env
  })
  const hub = createHub(config, options)
  await hub.start()
  const api: TestHub['api'] = async (path, { method, token, body } = {}) => {
    const headers: Record<string, string> = {}
    if (token !== undefined) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${hub.httpUrl}${path}`, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch { /* not JSON: keep the text */ }
    return { status: response.status, body: parsed }
  }
  return {
    hub,
    dataDir,
    api,
    admin: (path, body, method) => api(path, { token: hub.adminToken, body, method }),
    stop: async () => {
      await hub.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export interface Provisioned {
  member: { id: string, accessKey: string, sector: string }
  device: { id: string, token: string, topic: string }
}

/** Registers a member with one device through the admin API, as an organizer would. */
export async function provision (t: TestHub, member: string, sector = 'restaurant', device = `${member}-d1`, extra: Record<string, unknown> = {}): Promise<Provisioned> {
  const m = await t.admin('/api/admin/members', { id: member, name: `Member ${member}`, sector, ...extra })
  if (m.status !== 201) throw new Error(`member: ${JSON.stringify(m.body)}`)
  const d = await t.admin('/api/admin/devices', { member, name: `Device ${device}`, id: device })
  if (d.status !== 201) throw new Error(`device: ${JSON.stringify(d.body)}`)
  return { member: { id: member, accessKey: m.body.accessKey, sector }, device: { id: device, token: d.body.token, topic: d.body.mqtt.topic } }
}

/** A connected mqtt.js client logged in as a device. */
export async function connectDevice (url: string, deviceId: string, token: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { username: deviceId, password: token, reconnectPeriod: 0, connectTimeout: 5000, ...options })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
  })
  return client
}

/** Collects JSON messages on a topic; `next()` waits for the next one. */
export function collect (client: MqttClient, topic: string) {
  const messages: any[] = []
  const waiters: Array<(m: any) => void> = []
  client.on('message', (t, payload) => {
    if (t !== topic) return
    const message = JSON.parse(payload.toString())
    const waiter = waiters.shift()
    if (waiter) waiter(message)
    else messages.push(message)
  })
  return {
    messages,
    next: (timeoutMs = 3000): Promise<any> => messages.length > 0
      ? Promise.resolve(messages.shift())
      : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs)
        waiters.push((m) => { clearTimeout(timer); resolve(m) })
      })
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
