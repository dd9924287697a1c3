import { type IClientOptions, type MqttClient, connect } from 'mqtt'
import type { SimDevice } from './community.ts'
import type { SimStats } from './stats.ts'
import { errorsTopic, statusTopic } from './topics.ts'

// One device's MQTT connection, the way a well-behaved firmware holds it: logs in with its id
// and token, leaves `offline` as its Last Will, says `online` when connected, listens on its
// errors topic for the hub's refusals, and counts every publish and acknowledgement.

export type Connect = (url: string, options: IClientOptions) => MqttClient

export class DeviceLink {
  private client: MqttClient | undefined
  /** Publishes waiting for their PUBACK (QoS 1) or to be written (QoS 0). */
  private readonly pending = new Set<(ok: boolean) => void>()

  constructor (
    readonly device: SimDevice,
    private readonly token: string,
    private readonly url: string,
    private readonly stats: SimStats,
    private readonly connectTo: Connect = connect
  ) {}

  get connected (): boolean {
    return this.client?.connected ?? false
  }

  get inFlight (): number {
    return this.pending.size
  }

  /** Connects; rejects with the reason when the hub refuses or does not answer in time. */
  async open (timeoutMs: number): Promise<void> {
    const status = statusTopic(this.device)
    const client = this.connectTo(this.url, {
      username: this.device.id,
      password: this.token,
      clientId: this.device.id,
      protocolVersion: 4,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 2000, // a dropped link comes back by itself, as with any firmware
      connectTimeout: timeoutMs,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true }
    })
    client.on('error', () => {}) // reported through open() or the next reconnect; an unhandled 'error' would crash
    client.on('connect', () => {
      client.publish(status, 'online', { qos: 1, retain: true })
    })
    client.on('message', (topic, payload) => {
      if (topic === errorsTopic(this.device)) this.stats.countRefusal(refusalCode(payload))
    })
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no CONNACK from ${this.url} within ${timeoutMs} ms`)), timeoutMs)
        client.once('connect', () => { clearTimeout(timer); resolve() })
        client.once('error', (error) => { clearTimeout(timer); reject(error) })
      })
      await client.subscribeAsync(errorsTopic(this.device), { qos: 1 })
    } catch (error) {
      client.end(true)
      throw error
    }
    this.client = client
  }

  /** Publishes; resolves true once acknowledged (QoS ≥ 1) or written (QoS 0), false if lost. */
  async publish (topic: string, payload: string, qos: 0 | 1 | 2): Promise<boolean> {
    const client = this.client
    if (client === undefined) return false
    this.stats.messagesSent++
    return await new Promise<boolean>((resolve) => {
      const settle = (ok: boolean): void => {
        if (!this.pending.delete(settle)) return
        if (!ok) this.stats.failed++
        else if (qos > 0) this.stats.acknowledged++
        resolve(ok)
      }
      this.pending.add(settle)
      client.publish(topic, payload, { qos }, (error) => settle(error === undefined || error === null))
    })
  }

  /** Loses the link without a DISCONNECT (power cut, Wi-Fi gone): the hub publishes the Last Will. */
  dropAbruptly (): void {
    this.client?.end(true)
    this.client = undefined
    for (const settle of [...this.pending]) settle(false) // in flight when the link died: never acknowledged
  }

  /**
   * Says `offline` and disconnects cleanly, after waiting (a little) for acknowledgements in
   * flight and lingering a moment for the refusals the hub sends after its PUBACK.
   */
  async close (waitMs = 3000, lingerMs = 250): Promise<void> {
    const client = this.client
    if (client === undefined) return
    await this.settled(waitMs)
    if (this.stats.messagesSent > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs))
    if (client.connected) {
      await withTimeout(client.publishAsync(statusTopic(this.device), 'offline', { qos: 1, retain: true }), 1000)
    }
    await withTimeout(client.endAsync(), 1000)
    client.end(true)
    this.client = undefined
    for (const settle of [...this.pending]) settle(false)
  }

  /** Resolves when nothing is in flight any more, or after `waitMs`. */
  async settled (waitMs: number): Promise<void> {
    const until = Date.now() + waitMs
    while (this.pending.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function refusalCode (payload: Buffer): string {
  try {
    const body = JSON.parse(payload.toString('utf8')) as { code?: unknown }
    return typeof body.code === 'string' ? body.code : 'UNKNOWN'
  } catch {
    return 'UNKNOWN'
  }
}

async function withTimeout (promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise.catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}
