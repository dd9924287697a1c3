import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 9: whatever a device may publish is routed to every connection allowed to
// read it — QoS 0/1/2, retained, Last Will, the offline queue of a persistent session — whether
// or not it is also a reading. Multi-level topics under tsudoi/<member>/<device>/ used to be
// refused as UNKNOWN_TOPIC and never delivered. Another member's device receives none of it.

interface Received { topic: string, payload: string, qos: number, retain: boolean }

/** Every message a client receives, and a wait for the one that satisfies a test. */
function inbox (client: MqttClient) {
  const messages: Received[] = []
  const waiters: Array<{ test: (m: Received) => boolean, resolve: (m: Received) => void }> = []
  client.on('message', (topic, payload, packet) => {
    const message = { topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }
    messages.push(message)
    for (const waiter of [...waiters]) {
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(message)
      }
    }
  })
  return {
    messages,
    /** The first message that passes `test`; fails (rather than hang the suite) if none comes within 10 s. */
    waitFor: (test: (m: Received) => boolean): Promise<Received> => {
      const found = messages.find(test)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such message; received ${JSON.stringify(messages)}`)), 10_000)
        waiters.push({ test, resolve: (m) => { clearTimeout(timer); resolve(m) } })
      })
    }
  }
}

describe('routing inside a device\'s own topics', () => {
  let t: TestHub
  let p: Provisioned
  let stranger: Provisioned
  let strangerClient: MqttClient
  let strangerInbox: ReturnType<typeof inbox>
  const clients: MqttClient[] = []
  const base = 'tsudoi/hana/hana-d1'

  beforeAll(async () => {
    t = await startTestHub()
    p = await provision(t, 'hana')
    stranger = await provision(t, 'yoso')
    strangerClient = await connectDevice(t.hub.mqttUrl, stranger.device.id, stranger.device.token)
    strangerInbox = inbox(strangerClient)
    // Everything it may read, and what it may not (refused, SUBACK 0x80).
    expect((await strangerClient.subscribeAsync('tsudoi/yoso/yoso-d1/#', { qos: 2 })).map((g) => g.qos)).toEqual([2])
    for (const filter of ['#', 'tsudoi/hana/#']) {
      await expect(strangerClient.subscribeAsync(filter, { qos: 2 })).rejects.toThrow(/Subscribe error/)
    }
  })
  afterAll(async () => {
    // The stranger received nothing of hana's: a message to itself, sent last, arrives first.
    await strangerClient.publishAsync('tsudoi/yoso/yoso-d1/cmd/barrier', 'last', { qos: 1 })
    await strangerInbox.waitFor((m) => m.topic === 'tsudoi/yoso/yoso-d1/cmd/barrier')
    expect(strangerInbox.messages).toEqual([{ topic: 'tsudoi/yoso/yoso-d1/cmd/barrier', payload: 'last', qos: 1, retain: false }])
    strangerClient?.end(true)
    await t?.stop()
  })

  // A device holds a few connections at a time (TSUDOI_MAX_CONNECTIONS_PER_DEVICE): each test closes its own.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.endAsync(true)))
  })

  async function connection (options = {}): Promise<MqttClient> {
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token, options)
    clients.push(client)
    return client
  }

  it.each([0, 1, 2] as const)('delivers a QoS %i publish on a multi-level topic to another connection of the same login, without a refusal', async (qos) => {
    const publisher = await connection()
    const reader = await connection()
    const received = inbox(reader)
    await reader.subscribeAsync(`${base}/cmd/#`, { qos: 2 })
    await publisher.publishAsync(`${base}/cmd/led`, `on-${qos}`, { qos })
    expect(await received.waitFor((m) => m.payload === `on-${qos}`)).toEqual({ topic: `${base}/cmd/led`, payload: `on-${qos}`, qos, retain: false })
    const errors = await t.api('/api/me/errors', { token: p.member.accessKey })
    expect(errors.body).toEqual({ errors: [] })
    const metrics = await t.api('/api/me/metrics', { token: p.member.accessKey })
    expect(metrics.body).toEqual({ metrics: [] })
  })

  it('keeps a retained message for a connection that subscribes later', async () => {
    const publisher = await connection()
    await publisher.publishAsync(`${base}/state/relay`, 'closed', { qos: 1, retain: true })
    const reader = await connection()
    const received = inbox(reader)
    await reader.subscribeAsync(`${base}/state/+`, { qos: 1 })
    expect(await received.waitFor((m) => m.topic === `${base}/state/relay`)).toEqual({ topic: `${base}/state/relay`, payload: 'closed', qos: 1, retain: true })
  })

  it('delivers the Last Will of a connection that drops', async () => {
    const reader = await connection()
    const received = inbox(reader)
    await reader.subscribeAsync(`${base}/state/alive`, { qos: 1 })
    const dying = await connection({ will: { topic: `${base}/state/alive`, payload: Buffer.from('gone'), qos: 1, retain: false } })
    dying.stream.destroy()
    expect(await received.waitFor((m) => m.payload === 'gone')).toEqual({ topic: `${base}/state/alive`, payload: 'gone', qos: 1, retain: false })
  })

  it('queues QoS 1 messages for a persistent session while it is away', async () => {
    const away = await connection({ clientId: 'hana-panel', clean: false })
    await away.subscribeAsync(`${base}/cmd/#`, { qos: 1 })
    await away.endAsync()
    const publisher = await connection()
    await publisher.publishAsync(`${base}/cmd/door`, 'open', { qos: 1 })
    const back = await connection({ clientId: 'hana-panel', clean: false, manualConnect: false })
    const received = inbox(back)
    expect(await received.waitFor((m) => m.topic === `${base}/cmd/door`)).toEqual({ topic: `${base}/cmd/door`, payload: 'open', qos: 1, retain: false })
  })

  it('still diverts what the device may not publish: another member\'s tree, and its own errors topic', async () => {
    const publisher = await connection()
    const errors = inbox(publisher)
    await publisher.subscribeAsync(`${base}/errors`, { qos: 0 })
    await publisher.publishAsync('tsudoi/yoso/yoso-d1/cmd/led', 'off', { qos: 1 })
    expect(JSON.parse((await errors.waitFor((m) => m.topic === `${base}/errors`)).payload).code).toBe('TOPIC_NOT_ALLOWED')
    const reader = await connection()
    const received = inbox(reader)
    await reader.subscribeAsync(`${base}/#`, { qos: 1 })
    await publisher.publishAsync(`${base}/errors`, '{"code":"FAKE"}', { qos: 1 })
    await publisher.publishAsync(`${base}/cmd/after`, 'x', { qos: 1 })
    await received.waitFor((m) => m.topic === `${base}/cmd/after`)
    expect(received.messages.filter((m) => m.payload.includes('FAKE'))).toEqual([])
  })
})
