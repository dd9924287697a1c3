import { describe, expect, it } from 'vitest'
import { at, deviceOf, publish, readings } from './helpers.ts'

// Topics and payloads from the Zigbee2MQTT documentation:
// https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html ,
// https://www.zigbee2mqtt.io/devices/WSDCGQ11LM.html (Aqara temperature/humidity/pressure),
// https://www.zigbee2mqtt.io/devices/TS011F_plug_1.html (metering plug),
// https://www.zigbee2mqtt.io/guide/configuration/device-availability.html
// The bridge's base topic is its member's default (server/domain/topic-trees.ts): the
// firmware's own default `zigbee2mqtt` would be every member's, so no device may own it.
const BASE = 'zigbee2mqtt_umi-farm'

describe('zigbee2mqtt <base>/<friendly name>', () => {
  const bridge = deviceOf('zigbee2mqtt', BASE)

  it('reads an Aqara sensor under its friendly name; battery voltage mV → V; linkquality ignored', () => {
    const state = { battery: 100, humidity: 58.67, linkquality: 47, power_outage_count: 6, pressure: 1012.6, temperature: 23.73, voltage: 3005 }
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room', state)).toEqual(readings(
      at('battery__living_room', 100), at('humidity__living_room', 58.67), at('pressure__living_room', 1012.6),
      at('temperature__living_room', 23.73), at('voltage__living_room', 3.005)
    ))
  })

  it('accepts friendly names with "/" and the default IEEE-address names', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/kitchen/fridge', { temperature: 4.2 })).toEqual(readings(at('temperature__kitchen_fridge', 4.2)))
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/0x00158d0001d82999', { temperature: 27.34, humidity: 44.72 }))
      .toEqual(readings(at('temperature__0x00158d0001d82999', 27.34), at('humidity__0x00158d0001d82999', 44.72)))
  })

  it('reads a metering plug: mains voltage in V, power W, energy kWh, current A', () => {
    const state = { current: 0.52, energy: 12.34, linkquality: 120, power: 120.5, state: 'ON', voltage: 231 }
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/shop/fridge_plug', state)).toEqual(readings(
      at('current__shop_fridge_plug', 0.52), at('energy__shop_fridge_plug', 12.34), at('power__shop_fridge_plug', 120.5), at('voltage__shop_fridge_plug', 231)
    ))
  })

  it('reads a battery sent as a string, prefers illuminance_lux over a raw illuminance, skips nulls', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/porch', { battery: '95', illuminance: 23979, illuminance_lux: 250, occupancy: true, temperature: null }))
      .toEqual(readings(at('battery__porch', 95), at('illuminance__porch', 250)))
  })

  it('accepts states with nothing to read (switches, buttons) and the retained-state clear', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/hall_button', { action: 'single', linkquality: 80 })).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/old_sensor', '')).toEqual(readings())
  })

  it('refuses a state that is not JSON (output: attribute is not supported)', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/temperature', '23.7')).toEqual({
      accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'state of living_room/temperature is not a JSON object' }]
    })
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room', '{temperature: 23.7}')).toEqual({
      accepted: [], refusals: [{ code: 'INVALID_JSON', message: expect.stringMatching(/^state of living_room is not valid JSON: /) }]
    })
  })

  // metricSpec() looks a suffixed name up by its canonical part, so the range still applies.
  it('lets validation refuse a suffixed value out of its canonical range', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room', { humidity: 146 }))
      .toEqual({ accepted: [], refusals: [{ code: 'OUT_OF_RANGE', message: 'humidity__living_room: 146 is outside 0…100 %' }] })
  })
})

describe('zigbee2mqtt availability and bridge topics', () => {
  const bridge = deviceOf('zigbee2mqtt', BASE)

  it('takes the device status from bridge/state, legacy string or JSON', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/bridge/state', 'online')).toEqual({ accepted: [], refusals: [], status: 'online' })
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/bridge/state', '{"state":"offline"}')).toEqual({ accepted: [], refusals: [], status: 'offline' })
  })

  it('checks a Zigbee device\'s availability; only "online" says something about the bridge', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/availability', '{"state":"online"}')).toEqual({ accepted: [], refusals: [], status: 'online' })
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/availability', 'offline')).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/availability', '{"state":"gone"}'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'availability must be "online" or "offline"' }] })
  })

  it('accepts other bridge topics and /set, /get without readings or refusals', () => {
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/bridge/info', { version: '1.35.0', permit_join: false })).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/bridge/logging', { level: 'info', message: 'Zigbee: allowing new devices to join.' })).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/set', { state: 'ON' })).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/living_room/get/state', '')).toEqual(readings())
  })

  it('uses its own base_topic and refuses another bridge\'s', () => {
    const shop = deviceOf('zigbee2mqtt', 'z2m-shop')
    expect(publish(shop, 'z2m-shop/tank', { temperature: 18.5 })).toEqual(readings(at('temperature__tank', 18.5)))
    expect(publish(shop, 'zigbee2mqtt/tank', { temperature: 18.5 }))
      .toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${shop.id} may not publish to zigbee2mqtt/tank` }] })
  })

  it('takes a unit from the bridge\'s Home Assistant discovery over its own guess', () => {
    // A plug reporting only voltage would be taken for a battery in mV; its discovery says V.
    const config = {
      unit_of_measurement: 'V', device_class: 'voltage', state_class: 'measurement', state_topic: 'zigbee2mqtt_umi-farm/pump_plug',
      value_template: '{{ value_json.voltage }}', unique_id: '0xa4c138f2b1e5d3c1_voltage_zigbee2mqtt', object_id: 'pump_plug_voltage',
      availability: [{ topic: 'zigbee2mqtt_umi-farm/bridge/state', value_template: '{{ value_json.state }}' }]
    }
    expect(publish(bridge, 'homeassistant/sensor/0xa4c138f2b1e5d3c1/voltage/config', config)).toEqual(readings())
    expect(publish(bridge, 'zigbee2mqtt_umi-farm/pump_plug', { voltage: 230 })).toEqual(readings(at('voltage__pump_plug', 230)))
  })
})
