import { describe, expect, it } from 'vitest'
import { MAX_ENTITIES_PER_DEVICE } from '../../../server/ingest/formats/discovery.ts'
import { CONTEXT, at, deviceOf, publish, readings } from './helpers.ts'

const learnedCount = (deviceId: string): number => CONTEXT.discovery.count(deviceId)

// Discovery configs and states from the Home Assistant MQTT documentation:
// https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery (discovery topic and payload,
// abbreviations, base topic `~`, the "Sensors" example with a common state payload,
// device-based discovery with `cmps`, removal with an empty payload),
// https://www.home-assistant.io/integrations/sensor.mqtt/ (value_template, availability).

describe('homeassistant: learning sensors from discovery', () => {
  it('reads the documentation\'s bedroom example: two configs, one JSON state', () => {
    const device = deviceOf('homeassistant', 'sensorBedroom')
    const temperature = { device_class: 'temperature', name: 'Temperature', state_topic: 'homeassistant/sensor/sensorBedroom/state', unit_of_measurement: '°C', value_template: '{{ value_json.temperature}}' }
    const humidity = { device_class: 'humidity', name: 'Humidity', state_topic: 'homeassistant/sensor/sensorBedroom/state', unit_of_measurement: '%', value_template: '{{ value_json.humidity}}' }
    expect(publish(device, 'homeassistant/sensor/sensorBedroomT/config', temperature)).toEqual(readings())
    expect(publish(device, 'homeassistant/sensor/sensorBedroomH/config', humidity)).toEqual(readings())
    expect(publish(device, 'homeassistant/sensor/sensorBedroom/state', '{ "temperature": 23.20, "humidity": 43.70 }'))
      .toEqual(readings(at('temperature', 23.2), at('humidity', 43.7)))
  })

  it('expands abbreviations and the ~ base topic, converts °F, and reads availability', () => {
    const device = deviceOf('homeassistant', 'greenhouse')
    const config = {
      '~': 'greenhouse/bed1', name: 'Soil temp', stat_t: '~/state', avty_t: '~/avail', pl_avail: 'up', pl_not_avail: 'down',
      dev_cla: 'temperature', unit_of_meas: '°F', val_tpl: '{{ value_json.soil.t }}', uniq_id: 'gh-bed1-soil-t'
    }
    expect(publish(device, 'homeassistant/sensor/greenhouse/bed1_soil_t/config', config)).toEqual(readings())
    expect(publish(device, 'greenhouse/bed1/state', { soil: { t: 68 } })).toEqual(readings(at('temperature__soil', 20)))
    expect(publish(device, 'greenhouse/bed1/avail', 'down')).toEqual({ accepted: [], refusals: [], status: 'offline' })
    expect(publish(device, 'greenhouse/bed1/avail', 'up')).toEqual({ accepted: [], refusals: [], status: 'online' })
  })

  it('reads the device-based form (cmps) with a shared state topic', () => {
    const device = deviceOf('homeassistant', 'sensorBedroom')
    const config = {
      dev: { ids: 'ea334450945afc', name: 'Kitchen', mf: 'Bla electronics', mdl: 'xya', sw: '1.0', sn: 'ea334450945afc', hw: '1.0rev2' },
      o: { name: 'bla2mqtt', sw: '2.1', url: 'https://bla2mqtt.example.com/support' },
      cmps: {
        some_unique_component_id1: { p: 'sensor', device_class: 'temperature', unit_of_measurement: '°C', value_template: '{{ value_json.temperature}}', unique_id: 'temp01ae_t' },
        some_unique_id2: { p: 'sensor', device_class: 'humidity', unit_of_measurement: '%', value_template: '{{ value_json.humidity}}', unique_id: 'temp01ae_h' }
      },
      state_topic: 'sensorBedroom/state',
      qos: 2
    }
    expect(publish(device, 'homeassistant/device/ea334450945afc/config', config)).toEqual(readings())
    expect(publish(device, 'sensorBedroom/state', { temperature: 21.25, humidity: 55 })).toEqual(readings(at('temperature', 21.25), at('humidity', 55)))
  })

  it('shares ~ and availability in the device-based form, and drops a component sent with its platform only', () => {
    const device = deviceOf('homeassistant', 'tank')
    const config = (humidity: object): object => ({
      dev: { ids: 'tank-1', name: 'Tank' },
      o: { name: 'tank2mqtt' },
      '~': 'tank/probe',
      stat_t: '~/state',
      avty: [{ t: '~/lwt', pl_avail: 'alive', pl_not_avail: 'dead' }],
      cmps: { t: { p: 'sensor', dev_cla: 'temperature', unit_of_meas: '°C', val_tpl: '{{ value_json.t }}', uniq_id: 'tank-1-t' }, h: humidity }
    })
    publish(device, 'homeassistant/device/tank-1/config', config({ p: 'sensor', dev_cla: 'humidity', unit_of_meas: '%', val_tpl: '{{ value_json.h }}', uniq_id: 'tank-1-h' }))
    expect(publish(device, 'tank/probe/state', { t: 17.5, h: 81 })).toEqual(readings(at('temperature', 17.5), at('humidity', 81)))
    expect(publish(device, 'tank/probe/lwt', 'dead')).toEqual({ accepted: [], refusals: [], status: 'offline' })
    publish(device, 'homeassistant/device/tank-1/config', config({ p: 'sensor' }))
    expect(publish(device, 'tank/probe/state', { t: 17.5, h: 81 })).toEqual(readings(at('temperature', 17.5)))
  })

  it('converts Wh → kWh, kW → W, mV → V, and keeps a sensor without device class as a custom metric', () => {
    const device = deviceOf('homeassistant', 'meter')
    const sensor = (name: string, extra: object): object => ({ name, stat_t: `meter/${name}`, ...extra })
    publish(device, 'homeassistant/sensor/meter/import/config', sensor('import', { dev_cla: 'energy', unit_of_meas: 'Wh' }))
    publish(device, 'homeassistant/sensor/meter/load/config', sensor('load', { dev_cla: 'power', unit_of_meas: 'kW' }))
    publish(device, 'homeassistant/sensor/meter/cell/config', sensor('cell', { unit_of_meas: 'mV' }))
    publish(device, 'homeassistant/sensor/meter/frequency/config', sensor('frequency', { dev_cla: 'frequency', unit_of_meas: 'Hz' }))
    expect(publish(device, 'meter/import', '5120400')).toEqual(readings(at('energy__import', 5120.4)))
    expect(publish(device, 'meter/load', '1.75')).toEqual(readings(at('power__load', 1750)))
    expect(publish(device, 'meter/cell', '3312')).toEqual(readings(at('voltage__cell', 3.312)))
    expect(publish(device, 'meter/frequency', '50.02')).toEqual(readings(at('frequency', 50.02)))
  })

  it('accepts states of entities that are not numeric sensors', () => {
    const device = deviceOf('homeassistant', 'garden')
    publish(device, 'homeassistant/binary_sensor/garden/config', { name: 'garden', device_class: 'motion', state_topic: 'garden/motion' })
    expect(publish(device, 'garden/motion', 'ON')).toEqual(readings())
    // A sensor without device class, unit or state class holds text, as in Home Assistant.
    publish(device, 'homeassistant/sensor/garden/ip/config', { name: 'IP address', stat_t: 'garden/ip' })
    expect(publish(device, 'garden/ip', '192.168.1.5')).toEqual(readings())
    publish(device, 'homeassistant/sensor/garden/last_seen/config', { name: 'Last seen', dev_cla: 'timestamp', stat_t: 'garden/last_seen' })
    expect(publish(device, 'garden/last_seen', '2025-06-01T03:00:00+00:00')).toEqual(readings())
  })
})

describe('homeassistant: what cannot be read', () => {
  it('refuses, when a state arrives, a template beyond {{ value }} and {{ value_json.a.b }}', () => {
    const device = deviceOf('homeassistant', 'pond')
    const config = { name: 'Pond temperature', dev_cla: 'temperature', unit_of_meas: '°C', stat_t: 'pond/state', val_tpl: '{{ value_json[\'t\'] | float }}' }
    expect(publish(device, 'homeassistant/sensor/pond/t/config', config)).toEqual(readings())
    expect(publish(device, 'pond/state', { t: 18 })).toEqual({
      accepted: [],
      refusals: [{ code: 'UNKNOWN_SHAPE', message: 'Pond temperature: value_template "{{ value_json[\'t\'] | float }}" is not supported; use {{ value }} or {{ value_json.a.b }}' }]
    })
  })

  it('refuses a state missing every announced value, and one that is not JSON', () => {
    const device = deviceOf('homeassistant', 'pond')
    publish(device, 'homeassistant/sensor/pond/ph/config', { name: 'pH', dev_cla: 'ph', stat_t: 'pond/state', val_tpl: '{{ value_json.ph }}' })
    expect(publish(device, 'pond/state', { orp: 230 }))
      .toEqual({ accepted: [], refusals: [{ code: 'EMPTY_PAYLOAD', message: 'payload holds none of the announced values: pH (value_json.ph)' }] })
    expect(publish(device, 'pond/state', 'ph=7.1'))
      .toEqual({ accepted: [], refusals: [{ code: 'INVALID_JSON', message: expect.stringMatching(/^payload is not valid JSON: /) }] })
    expect(publish(device, 'pond/state', { ph: 7.1 })).toEqual(readings(at('ph', 7.1)))
  })

  it('refuses a unit that cannot be converted for its device class', () => {
    const device = deviceOf('homeassistant', 'oven')
    publish(device, 'homeassistant/sensor/oven/t/config', { name: 'Oven', dev_cla: 'temperature', unit_of_meas: '°Ré', stat_t: 'oven/t' })
    expect(publish(device, 'oven/t', '80'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'Oven: unit "°Ré" cannot be converted to temperature' }] })
  })

  it('refuses a discovery config that is not JSON, has no state topic, or points into another device', () => {
    const device = deviceOf('homeassistant', 'barn')
    expect(publish(device, 'homeassistant/sensor/barn/t/config', '{"name":'))
      .toEqual({ accepted: [], refusals: [{ code: 'INVALID_JSON', message: expect.stringMatching(/^discovery config is not valid JSON: /) }] })
    expect(publish(device, 'homeassistant/sensor/barn/t/config', { name: 'Barn', dev_cla: 'temperature' }))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'sensor Barn has no state_topic' }] })
    expect(publish(device, 'homeassistant/sensor/barn/t/config', { name: 'Barn', stat_t: 'tsudoi/other-member/other-device/telemetry' })).toEqual({
      accepted: [],
      refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: 'Barn: this device may not publish to tsudoi/other-member/other-device/telemetry, so it cannot be its state or availability topic' }]
    })
  })

  it('forgets an entity on an empty config, after which its topic holds no reading', () => {
    const device = deviceOf('homeassistant', 'barn')
    publish(device, 'homeassistant/sensor/barn/t/config', { name: 'Temperature', dev_cla: 'temperature', stat_t: 'barn/t' })
    expect(publish(device, 'barn/t', '12.5')).toEqual(readings(at('temperature', 12.5)))
    expect(publish(device, 'homeassistant/sensor/barn/t/config', '')).toEqual(readings())
    // Still the device's own topic: routed, neither read nor refused (issue 12, item 9).
    expect(publish(device, 'barn/t', '12.5')).toEqual(readings())
  })

  it('refuses Home Assistant\'s own status topic from a device', () => {
    const device = deviceOf('homeassistant', 'barn')
    expect(publish(device, 'homeassistant/status', 'offline'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_TOPIC', message: 'topic homeassistant/status is not part of the homeassistant format' }] })
  })
})

describe('homeassistant: learned state is per device and bounded', () => {
  it('keeps two devices announcing the same discovery topic apart', () => {
    const a = deviceOf('homeassistant', 'site-a')
    const b = deviceOf('homeassistant', 'site-b')
    publish(a, 'homeassistant/sensor/probe/config', { name: 'Temperature', dev_cla: 'temperature', stat_t: 'site-a/probe' })
    expect(publish(b, 'homeassistant/sensor/probe/config', '')).toEqual(readings())
    expect(publish(a, 'site-a/probe', '19')).toEqual(readings(at('temperature', 19)))
    expect(learnedCount(b.id)).toBe(0)
  })

  it(`stops learning at ${MAX_ENTITIES_PER_DEVICE} entities and keeps the ones it has`, () => {
    const device = deviceOf('homeassistant', 'gateway')
    for (let i = 0; i < MAX_ENTITIES_PER_DEVICE; i++) {
      publish(device, `homeassistant/sensor/gateway/s${i}/config`, { name: `probe ${i} temperature`, dev_cla: 'temperature', stat_t: `gateway/s${i}` })
    }
    expect(learnedCount(device.id)).toBe(MAX_ENTITIES_PER_DEVICE)
    expect(publish(device, 'homeassistant/sensor/gateway/one-more/config', { name: 'one more', stat_t: 'gateway/one-more' })).toEqual({
      accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: `discovery config not learned: a device may announce at most ${MAX_ENTITIES_PER_DEVICE} entities` }]
    })
    // Replacing an existing config is not growth.
    expect(publish(device, 'homeassistant/sensor/gateway/s0/config', { name: 'probe 0 temperature', dev_cla: 'temperature', stat_t: 'gateway/s0' })).toEqual(readings())
    expect(publish(device, 'gateway/s7', '21')).toEqual(readings(at('temperature__probe_7', 21)))
  })
})
