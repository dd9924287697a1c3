import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'

describe('MQTT over WebSocket', () => {
  let t: TestHub
  let p: Provisioned
  beforeAll(async () => {
    t = await startTestHub()
    p = await provision(t, 'ws-shop', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  it('accepts a device at /mqtt on the HTTP port, with the same identity rules', async () => {
    const client = mqtt.connect(t.hub.wsUrl, { username: p.device.id, password: p.device.token, reconnectPeriod: 0 })
    await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject) })
    await client.publishAsync(p.device.topic, '{"illuminance": 320}', { qos: 1 })
    client.end(true)
    const { body } = await t.api('/api/me/readings', { token: p.member.accessKey })
    expect(body.readings).toEqual([{ time: expect.any(Number), device: 'ws-shop-d1', metric: 'illuminance', value: 320 }])
  })

  it('refuses wrong credentials over WebSocket too', async () => {
    const client = mqtt.connect(t.hub.wsUrl, { username: p.device.id, password: 'nope', reconnectPeriod: 0 })
    const error = await new Promise<any>((resolve) => client.once('error', resolve))
    client.end(true)
    expect(error.code).toBe(5)
  })
})
