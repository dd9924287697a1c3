import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 3: a client id belongs to one device. Client ids are namespaced per device
// inside the hub (server/broker/client-id.ts), so another device using the same id neither
// kicks the first off nor takes over its persistent session.

describe('client ids are per device', () => {
  let t: TestHub
  let victim: Provisioned
  let attacker: Provisioned

  beforeAll(async () => {
    t = await startTestHub()
    victim = await provision(t, 'victim', 'retail')
    attacker = await provision(t, 'attacker', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  /** A connected device whose messages are recorded from the first one, with its CONNACK's session-present flag. */
  const connectWithInbox = async (device: Provisioned['device'], options: IClientOptions) => {
    const client = mqtt.connect(t.hub.mqttUrl, { username: device.id, password: device.token, reconnectPeriod: 0, ...options })
    const inbox: Array<[string, string]> = []
    client.on('message', (topic, payload) => inbox.push([topic, payload.toString()]))
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject) })
    return { client, inbox, sessionPresent: (client as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent }
  }

  /** 'served' once a QoS 1 round trip completes, 'kicked' if the hub closes the connection first. */
  const roundTrip = (client: MqttClient, topic: string): Promise<string> => Promise.race([
    client.publishAsync(topic, '{"power": 1}', { qos: 1 }).then(() => 'served'),
    new Promise<string>((resolve) => client.once('close', () => resolve('kicked')))
  ])

  it('another device connecting with the same client id does not kick the first off', async () => {
    const first = await connectDevice(t.hub.mqttUrl, victim.device.id, victim.device.token, { clientId: 'DVES_4F2A1C' })
    const second = await connectDevice(t.hub.mqttUrl, attacker.device.id, attacker.device.token, { clientId: 'DVES_4F2A1C' })
    expect(await roundTrip(first, victim.device.topic)).toBe('served')
    expect(await roundTrip(second, attacker.device.topic)).toBe('served')
    first.end(true); second.end(true)
  })

  it('another device cannot take over a persistent session and its queued QoS 1 messages; the device itself still can [MQTT-3.1.4-2]', async () => {
    const session = { clientId: 'living-room', clean: false }
    const subscriber = await connectDevice(t.hub.mqttUrl, victim.device.id, victim.device.token, session)
    await subscriber.subscribeAsync(victim.device.topic, { qos: 1 })
    await subscriber.endAsync()
    // While the session is offline, the victim's other connection publishes: queued for it.
    const publisher = await connectDevice(t.hub.mqttUrl, victim.device.id, victim.device.token, { clientId: 'victim-script' })
    await publisher.publishAsync(victim.device.topic, '{"temperature": 21.5}', { qos: 1 })
    await publisher.endAsync()

    const thief = await connectWithInbox(attacker.device, session)
    expect(thief.sessionPresent).toBe(false)

    const back = await connectWithInbox(victim.device, session)
    expect(back.sessionPresent).toBe(true)
    await new Promise<void>((resolve) => back.inbox.length > 0 ? resolve() : back.client.once('message', () => resolve()))
    expect(back.inbox).toEqual([[victim.device.topic, '{"temperature": 21.5}']])
    // The thief's connection is still there, and got nothing.
    expect(await roundTrip(thief.client, attacker.device.topic)).toBe('served')
    expect(thief.inbox).toEqual([])
    thief.client.end(true); back.client.end(true)
  })
})
