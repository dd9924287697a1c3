import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, collect, connectDevice, sleep, startTestHub } from '../../helpers/hub.ts'
import { toolAvailable } from '../../helpers/required-tool.ts'

const run = promisify(execFile)
const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub'

// Real firmware payloads through a real hub, stored readings checked value by value.
describe('firmware formats through a real hub', () => {
  let t: TestHub
  let key: string
  const token: Record<string, string> = {}

  beforeAll(async () => {
    t = await startTestHub()
    key = (await t.admin('/api/admin/members', { id: 'island-farm', name: 'Island farm', sector: 'agriculture' })).body.accessKey
    for (const [id, format, topic] of [['plug-1', 'tasmota', 'plug1'], ['esp-1', 'esphome', 'greenhouse'], ['shelly-1', 'shelly', 'shellyplus1pm-a8032ab12345'], ['z2m-1', 'zigbee2mqtt', undefined]]) { // the bridge gets its member's default base topic, zigbee2mqtt_island-farm
      const device = await t.admin('/api/admin/devices', { member: 'island-farm', name: id, id, format, topic })
      token[id!] = device.body.token
    }
  })
  afterAll(async () => { await t?.stop() })

  const stored = async (device: string) => {
    const { body } = await t.api(`/api/me/readings?device=${device}&limit=100`, { token: key })
    return Object.fromEntries(body.readings.map((r: { metric: string, value: number }) => [r.metric, r.value]))
  }

  it('stores a Tasmota SENSOR message with energy and two DS18B20 (https://tasmota.github.io/docs/MQTT/)', async () => {
    const client = await connectDevice(t.hub.mqttUrl, 'plug-1', token['plug-1']!)
    await client.publishAsync('tele/plug1/SENSOR', JSON.stringify({
      Time: '2026-11-27T14:05:00',
      ENERGY: { TotalStartTime: '2026-01-01T00:00:00', Total: 12.345, Yesterday: 1.2, Today: 0.4, Power: 52, ApparentPower: 60, ReactivePower: 30, Factor: 0.87, Voltage: 101, Current: 0.52 },
      'DS18B20-1': { Id: '01144A0CB2AA', Temperature: 4.5 },
      'DS18B20-2': { Id: '01144A0CB2AB', Temperature: 21.25 },
      TempUnit: 'C'
    }), { qos: 1 })
    client.end(true)
    expect(await stored('plug-1')).toEqual({
      energy: 12.345, power: 52, voltage: 101, current: 0.52, temperature__ds18b20_1: 4.5, temperature__ds18b20_2: 21.25
    })
  })

  it('refuses an ESPHome nan with a reason and keeps the device connected (https://esphome.io/components/mqtt.html)', async () => {
    const client = await connectDevice(t.hub.mqttUrl, 'esp-1', token['esp-1']!)
    const errors = collect(client, 'tsudoi/island-farm/esp-1/errors')
    await client.subscribeAsync('tsudoi/island-farm/esp-1/errors')
    await client.publishAsync('greenhouse/sensor/humidity/state', '63.2', { qos: 1 })
    await client.publishAsync('greenhouse/sensor/temperature/state', 'nan', { qos: 1 })
    expect((await errors.next()).code).toBe('NOT_FINITE')
    expect(client.connected).toBe(true)
    await client.publishAsync('greenhouse/sensor/temperature/state', '27.8', { qos: 1 })
    client.end(true)
    expect(await stored('esp-1')).toEqual({ humidity: 63.2, temperature: 27.8 })
  })

  it('stores a Shelly Plus 1PM switch status with Wh turned into kWh (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch)', async () => {
    const client = await connectDevice(t.hub.mqttUrl, 'shelly-1', token['shelly-1']!)
    await client.publishAsync('shellyplus1pm-a8032ab12345/status/switch:0', JSON.stringify({
      id: 0, source: 'init', output: true, apower: 8.9, voltage: 100.2, current: 0.089,
      aenergy: { total: 1524.678, by_minute: [0, 0, 0], minute_ts: 1795734060 }, temperature: { tC: 41.2, tF: 106.2 }
    }), { qos: 1 })
    client.end(true)
    expect(await stored('shelly-1')).toEqual({ power: 8.9, voltage: 100.2, current: 0.089, energy: 1.524678, device_temperature: 41.2 })
  })

  it.skipIf(!toolAvailable(MOSQUITTO_PUB, 'mosquitto-clients'))('stores a Zigbee2MQTT sensor sent by Debian\'s mosquitto_pub (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html)', async () => {
    await run(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', String(t.hub.mqttPort), '-u', 'z2m-1', '-P', token['z2m-1']!, '-q', '1',
      '-t', 'zigbee2mqtt_island-farm/kitchen/fridge', '-m', JSON.stringify({ temperature: 3.9, humidity: 71, battery: '87', voltage: 2975, linkquality: 120 })])
    await sleep(50)
    expect(await stored('z2m-1')).toEqual({
      temperature__kitchen_fridge: 3.9, humidity__kitchen_fridge: 71, battery__kitchen_fridge: 87, voltage__kitchen_fridge: 2.975
    })
  })
})
