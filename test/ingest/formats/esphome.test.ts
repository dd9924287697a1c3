import { describe, expect, it } from 'vitest'
import { at, deviceOf, publish, readings } from './helpers.ts'

// Topics and payloads as ESPHome's MQTT client publishes them:
// https://esphome.io/components/mqtt.html (topic_prefix, birth/will on <prefix>/status,
// <prefix>/sensor/<object_id>/state, discovery on homeassistant/<component>/<node>/<object_id>/config)
// https://esphome.io/components/sensor/ (a failed read is published as NaN: "nan")

describe('esphome <prefix>/sensor/<name>/state', () => {
  const device = deviceOf('esphome', 'livingroom')

  it('maps a sensor by the words of its name; a name that is only the quantity stays plain', () => {
    expect(publish(device, 'livingroom/sensor/temperature/state', '21.5')).toEqual(readings(at('temperature', 21.5)))
    expect(publish(device, 'livingroom/sensor/humidity/state', '48.2')).toEqual(readings(at('humidity', 48.2)))
    expect(publish(device, 'livingroom/sensor/co2/state', '612')).toEqual(readings(at('co2', 612)))
  })

  it('keeps the rest of the name as the suffix', () => {
    expect(publish(device, 'livingroom/sensor/outdoor_temperature/state', '8.25')).toEqual(readings(at('temperature__outdoor', 8.25)))
    expect(publish(device, 'livingroom/sensor/bme280_pressure/state', '1008.4')).toEqual(readings(at('pressure__bme280', 1008.4)))
    expect(publish(device, 'livingroom/sensor/battery_voltage/state', '3.71')).toEqual(readings(at('voltage__battery', 3.71)))
    expect(publish(device, 'livingroom/sensor/tank_water_temperature/state', '18.0')).toEqual(readings(at('water_temperature__tank', 18)))
  })

  it('reads the WiFi signal sensor as rssi and keeps unknown sensors as custom metrics', () => {
    expect(publish(device, 'livingroom/sensor/wifi_signal/state', '-67')).toEqual(readings(at('rssi', -67)))
    expect(publish(device, 'livingroom/sensor/uptime/state', '3605')).toEqual(readings(at('uptime', 3605)))
    expect(publish(device, 'livingroom/sensor/power_factor/state', '0.93')).toEqual(readings(at('power_factor', 0.93)))
  })

  it('refuses a failed read ("nan") as NOT_FINITE through the hub\'s validation', () => {
    expect(publish(device, 'livingroom/sensor/temperature/state', 'nan'))
      .toEqual({ accepted: [], refusals: [{ code: 'NOT_FINITE', message: 'temperature: value is not finite' }] })
  })

  it('refuses text where a number belongs', () => {
    expect(publish(device, 'livingroom/sensor/humidity/state', 'unknown'))
      .toEqual({ accepted: [], refusals: [{ code: 'NOT_A_NUMBER', message: 'humidity: "unknown" is not a number' }] })
  })

  it('accepts other components\' states and the log without readings', () => {
    expect(publish(device, 'livingroom/switch/relay/state', 'ON')).toEqual(readings())
    expect(publish(device, 'livingroom/binary_sensor/door/state', 'OFF')).toEqual(readings())
    expect(publish(device, 'livingroom/text_sensor/ip_address/state', '192.168.1.20')).toEqual(readings())
    expect(publish(device, 'livingroom/debug', '[D][sensor:094]: \'Temperature\': Sending state 21.50000 °C')).toEqual(readings())
  })

  it('routes a topic of its own tree that holds no reading, and refuses one outside the device', () => {
    // Not a reading, but the device's to publish: routed without a refusal (issue 12, item 9).
    expect(publish(device, 'livingroom/whatever', '1')).toEqual(readings())
    expect(publish(device, 'kitchen/sensor/temperature/state', '21'))
      .toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to kitchen/sensor/temperature/state` }] })
  })
})

describe('esphome status and discovery', () => {
  it('turns the birth and last will into the device status', () => {
    const device = deviceOf('esphome', 'livingroom')
    expect(publish(device, 'livingroom/status', 'online')).toEqual({ accepted: [], refusals: [], status: 'online' })
    expect(publish(device, 'livingroom/status', 'offline')).toEqual({ accepted: [], refusals: [], status: 'offline' })
    expect(publish(device, 'livingroom/status', 'sleeping'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'status must be "online" or "offline"' }] })
  })

  it('learns device class and unit from ESPHome\'s discovery config (°F → °C)', () => {
    const device = deviceOf('esphome', 'livingroom')
    const config = {
      dev_cla: 'temperature',
      unit_of_meas: '°F',
      stat_cla: 'measurement',
      name: 'Outdoor Temperature',
      stat_t: 'livingroom/sensor/outdoor_temperature/state',
      avty_t: 'livingroom/status',
      uniq_id: 'ESPsensoroutdoor_temperature',
      dev: { ids: '240ac4d3e6f0', name: 'livingroom', sw: 'esphome v2024.2.0', mdl: 'esp32dev', mf: 'espressif' }
    }
    expect(publish(device, 'homeassistant/sensor/livingroom/outdoor_temperature/config', config)).toEqual(readings())
    expect(publish(device, 'livingroom/sensor/outdoor_temperature/state', '71.6')).toEqual(readings(at('temperature__outdoor', 22)))
  })

  it('learns that a sensor with a neutral name measures energy in Wh', () => {
    const device = deviceOf('esphome', 'pump-house')
    const config = { dev_cla: 'energy', unit_of_meas: 'Wh', stat_cla: 'total_increasing', name: 'Pump meter', stat_t: 'pump-house/sensor/pump_meter/state' }
    expect(publish(device, 'homeassistant/sensor/pump-house/pump_meter/config', config)).toEqual(readings())
    expect(publish(device, 'pump-house/sensor/pump_meter/state', '123456')).toEqual(readings(at('energy__pump_meter', 123.456)))
  })

  it('reads a sensor ESPHome announced on a custom state_topic', () => {
    const device = deviceOf('esphome', 'tank')
    const config = { dev_cla: 'temperature', unit_of_meas: '°C', name: 'Inlet', stat_t: 'tank/custom/inlet' }
    expect(publish(device, 'homeassistant/sensor/tank/inlet/config', config)).toEqual(readings())
    expect(publish(device, 'tank/custom/inlet', '16.5')).toEqual(readings(at('temperature__inlet', 16.5)))
  })

  it('refuses a discovery config whose state topic belongs to someone else', () => {
    const device = deviceOf('esphome', 'livingroom')
    const config = { dev_cla: 'temperature', unit_of_meas: '°C', name: 'Spoof', stat_t: 'kitchen/sensor/temperature/state' }
    expect(publish(device, 'homeassistant/sensor/livingroom/spoof/config', config)).toEqual({
      accepted: [],
      refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: 'Spoof: this device may not publish to kitchen/sensor/temperature/state, so it cannot be its state or availability topic' }]
    })
  })
})
