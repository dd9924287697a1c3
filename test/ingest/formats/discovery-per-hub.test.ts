import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, collect, connectDevice, startTestHub } from '../../helpers/hub.ts'

// What a device announced through Home Assistant discovery belongs to the hub it announced it
// to: two hubs in one process (as the tests, a bench or an embedding program run them) share
// no learned entities. The same member and device ids are registered on both, as two
// communities using the same naming would.
describe('Home Assistant discovery is learned per hub', () => {
  const hubs: TestHub[] = []
  const tokens: string[] = []
  const keys: string[] = []
  const clients: MqttClient[] = []
  const CONFIG_TOPIC = 'homeassistant/sensor/sensorBedroom/temperature/config'
  const STATE_TOPIC = 'homeassistant/sensor/sensorBedroom/state'
  const config = { device_class: 'temperature', name: 'Temperature', state_topic: STATE_TOPIC, unit_of_measurement: '°C', value_template: '{{ value_json.temperature }}' }

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const t = await startTestHub()
      hubs.push(t)
      keys.push((await t.admin('/api/admin/members', { id: 'bedroom-inn', name: 'Bedroom inn', sector: 'accommodation' })).body.accessKey)
      const device = await t.admin('/api/admin/devices', { member: 'bedroom-inn', name: 'HA sensor', id: 'ha-1', format: 'homeassistant', topic: 'sensorBedroom' })
      tokens.push(device.body.token)
    }
  })
  afterAll(async () => {
    for (const client of clients) client.end(true)
    for (const t of hubs) await t.stop()
  })

  const stored = async (i: number): Promise<unknown> =>
    (await hubs[i]!.api('/api/me/readings?device=ha-1&limit=100', { token: keys[i]! })).body.readings.map((r: { metric: string, value: number }) => [r.metric, r.value])

  it('reads a state topic on the hub that learned its config, and refuses it as unknown on the other', async () => {
    const [a, b] = [0, 1].map((i) => hubs[i]!)
    const onA = await connectDevice(a!.hub.mqttUrl, 'ha-1', tokens[0]!)
    const onB = await connectDevice(b!.hub.mqttUrl, 'ha-1', tokens[1]!)
    clients.push(onA, onB)
    const errorsOnB = collect(onB, 'tsudoi/bedroom-inn/ha-1/errors')
    await onB.subscribeAsync('tsudoi/bedroom-inn/ha-1/errors', { qos: 1 })

    await onA.publishAsync(CONFIG_TOPIC, JSON.stringify(config), { qos: 1 })
    await onA.publishAsync(STATE_TOPIC, JSON.stringify({ temperature: 22.5 }), { qos: 1 })
    await onB.publishAsync(STATE_TOPIC, JSON.stringify({ temperature: 19 }), { qos: 1 })

    expect(await stored(0)).toEqual([['temperature', 22.5]])
    expect(await stored(1)).toEqual([])
    expect(await errorsOnB.next()).toEqual({
      code: 'UNKNOWN_TOPIC', message: `topic ${STATE_TOPIC} is not part of the homeassistant format`, topic: STATE_TOPIC, time: expect.any(Number)
    })
  })

  it('forgets what a device announced once its token is rotated, on that hub only', async () => {
    // Hub A knows the config from the test before; hub B is taught it now.
    const onB = await connectDevice(hubs[1]!.hub.mqttUrl, 'ha-1', tokens[1]!)
    clients.push(onB)
    await onB.publishAsync(CONFIG_TOPIC, JSON.stringify(config), { qos: 1 })
    const rotated = await hubs[0]!.admin('/api/admin/devices/ha-1/token', {})
    expect(rotated.status).toBe(200)
    const onA = await connectDevice(hubs[0]!.hub.mqttUrl, 'ha-1', rotated.body.token)
    clients.push(onA)
    const errorsOnA = collect(onA, 'tsudoi/bedroom-inn/ha-1/errors')
    await onA.subscribeAsync('tsudoi/bedroom-inn/ha-1/errors', { qos: 1 })
    await onA.publishAsync(STATE_TOPIC, JSON.stringify({ temperature: 23 }), { qos: 1 })
    await onB.publishAsync(STATE_TOPIC, JSON.stringify({ temperature: 20 }), { qos: 1 })

    expect(await stored(0)).toEqual([['temperature', 22.5]])
    expect(await stored(1)).toEqual([['temperature', 20]])
    expect(await errorsOnA.next()).toEqual({
      code: 'UNKNOWN_TOPIC', message: `topic ${STATE_TOPIC} is not part of the homeassistant format`, topic: STATE_TOPIC, time: expect.any(Number)
    })
  })
})
