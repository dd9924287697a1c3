import { describe, expect, it } from 'vitest'
import { at, deviceOf, publish, readings } from './helpers.ts'

// Status objects from the Shelly Gen2 API documentation:
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Mqtt (topics),
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch#status ,
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Temperature#status ,
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Humidity#status ,
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/DevicePower#status ,
// https://shelly-api-docs.shelly.cloud/gen2/General/Notifications (NotifyStatus)

const SWITCH_STATUS = {
  id: 0,
  source: 'timer',
  output: true,
  timer_started_at: 1626935739.79,
  timer_duration: 60,
  apower: 8.9,
  voltage: 237.5,
  current: 0.1,
  aenergy: { total: 6.532, by_minute: [45.199, 47.141, 88.397], minute_ts: 1626935779 },
  temperature: { tC: 23.5, tF: 74.4 }
}

describe('shelly <prefix>/status/<component>', () => {
  const device = deviceOf('shelly', 'shellyplus1pm-a8032ab12345')

  it('reads a switch: power W, voltage, current, energy Wh → kWh, relay temperature as device_temperature', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/switch:0', SWITCH_STATUS)).toEqual(readings(
      at('power', 8.9), at('voltage', 237.5), at('current', 0.1), at('energy', 0.006532), at('device_temperature', 23.5)
    ))
  })

  it('suffixes the second channel of a two-channel device', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/switch:1', { id: 1, output: false, apower: 0, aenergy: { total: 1234.5 } }))
      .toEqual(readings(at('power__switch_1', 0), at('energy__switch_1', 1.2345)))
  })

  it('reads a Plus H&T: temperature:0, humidity:0, devicepower:0', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/temperature:0', { id: 0, tC: 20.9, tF: 69.6 })).toEqual(readings(at('temperature', 20.9)))
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/humidity:0', { id: 0, rh: 53.4 })).toEqual(readings(at('humidity', 53.4)))
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/devicepower:0', { id: 0, battery: { V: 5.38, percent: 71 }, external: { present: false } }))
      .toEqual(readings(at('battery', 71)))
  })

  it('reads the Wi-Fi RSSI and passes over components without readings', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/wifi', { sta_ip: '192.168.33.2', status: 'got ip', ssid: 'shop', rssi: -58 }))
      .toEqual(readings(at('rssi', -58)))
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/sys', { mac: 'A8032AB12345', restart_required: false, uptime: 3600 })).toEqual(readings())
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/input:0', { id: 0, state: false })).toEqual(readings())
  })

  it('skips a temperature the relay could not measure (null)', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/switch:0', { id: 0, output: false, temperature: { tC: null, tF: null } })).toEqual(readings())
  })

  it('refuses a status that is not JSON, or not an object', () => {
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/switch:0', 'on')).toEqual({
      accepted: [], refusals: [{ code: 'INVALID_JSON', message: expect.stringMatching(/^payload is not valid JSON: /) }]
    })
    expect(publish(device, 'shellyplus1pm-a8032ab12345/status/switch:0', '[1]'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'payload is not a JSON object' }] })
  })
})

describe('shelly <prefix>/events/rpc and <prefix>/online', () => {
  const device = deviceOf('shelly', 'shellyplus2pm-c4d8d5')

  it('reads every component of a NotifyStatus, without using its ts', () => {
    const notification = {
      src: 'shellyplus2pm-c4d8d5',
      dst: 'shellyplus2pm-c4d8d5/events',
      method: 'NotifyStatus',
      params: { ts: 1654512024.43, 'switch:0': { id: 0, apower: 10.5 }, 'switch:1': { id: 1, apower: 3.2, current: 0.021 } }
    }
    expect(publish(device, 'shellyplus2pm-c4d8d5/events/rpc', notification))
      .toEqual(readings(at('power', 10.5), at('power__switch_1', 3.2), at('current__switch_1', 0.021)))
  })

  it('accepts NotifyEvent without readings and refuses a frame without method', () => {
    const event = { src: 'shellyplus2pm-c4d8d5', dst: 'shellyplus2pm-c4d8d5/events', method: 'NotifyEvent', params: { ts: 1631266595.43, events: [{ component: 'input:0', id: 0, event: 'single_push', ts: 1631266595.43 }] } }
    expect(publish(device, 'shellyplus2pm-c4d8d5/events/rpc', event)).toEqual(readings())
    expect(publish(device, 'shellyplus2pm-c4d8d5/events/rpc', { params: {} }))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'an RPC notification needs a method' }] })
  })

  it('turns online true/false into the status', () => {
    expect(publish(device, 'shellyplus2pm-c4d8d5/online', 'true')).toEqual({ accepted: [], refusals: [], status: 'online' })
    expect(publish(device, 'shellyplus2pm-c4d8d5/online', 'false')).toEqual({ accepted: [], refusals: [], status: 'offline' })
    expect(publish(device, 'shellyplus2pm-c4d8d5/online', 'yes'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'online must be "true" or "false"' }] })
  })

  it('routes its own topics that hold no reading, and refuses foreign ones', () => {
    expect(publish(device, 'shellyplus2pm-c4d8d5/status/switch:0/extra', '{}')).toEqual(readings())
    expect(publish(device, 'shellies/shelly1-ABC/relay/0', 'on'))
      .toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to shellies/shelly1-ABC/relay/0` }] })
  })

  it('learns a discovery config from a Shelly script and reads states on a topic Shelly itself does not use', () => {
    const config = { name: 'Pool water', dev_cla: 'temperature', unit_of_meas: '°C', stat_t: 'shellyplus2pm-c4d8d5/pool/state', val_tpl: '{{ value_json.tC }}' }
    expect(publish(device, 'homeassistant/sensor/shellyplus2pm-c4d8d5/pool/config', config)).toEqual(readings())
    expect(publish(device, 'shellyplus2pm-c4d8d5/pool/state', { tC: 27.4 })).toEqual(readings(at('temperature__pool_water', 27.4)))
  })
})
