import { describe, expect, it } from 'vitest'
import { at, deviceOf, publish } from '../ingest/formats/helpers.ts'

// Keys a device chooses — JSON keys, Shelly components, units, device classes — used to be
// looked up in plain objects, where `constructor`, `toString` or `__proto__` find
// Object.prototype's members: a decoder then threw (refused as PROCESSING_FAILED) or named a
// metric "function Object() { [native code] }". Found by test/security/hostile-input.test.ts
// (tasmota-10…13, shelly-02…06, zigbee-02…04, homeassistant-03…06); here without a hub.

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype)

describe('decoder tables see only their own entries', () => {
  it.each(PROTOTYPE_KEYS)('Tasmota reads nothing from a sensor field %s', (key) => {
    const device = deviceOf('tasmota', 'plug')
    expect(publish(device, 'tele/plug/SENSOR', `{"AM2301":{${JSON.stringify(key)}:1,"Temperature":20},"ENERGY":{${JSON.stringify(key)}:2,"Power":15}}`))
      .toEqual({ accepted: [at('temperature', 20), at('power', 15)], refusals: [] })
  })

  it.each(PROTOTYPE_KEYS)('Shelly reads nothing from a component %s', (key) => {
    const device = deviceOf('shelly', 'relay')
    expect(publish(device, `relay/status/${key}`, '{"apower":1}')).toEqual({ accepted: [], refusals: [] })
    expect(publish(device, 'relay/events/rpc', `{"method":"NotifyStatus","params":{${JSON.stringify(key)}:{"apower":1},"switch:0":{"apower":2}}}`))
      .toEqual({ accepted: [at('power', 2)], refusals: [] })
  })

  it.each(PROTOTYPE_KEYS)('Zigbee2MQTT reads nothing from a key %s', (key) => {
    const device = deviceOf('zigbee2mqtt', 'z2m')
    expect(publish(device, 'z2m/kitchen', `{${JSON.stringify(key)}:1,"temperature":5}`)).toEqual({ accepted: [at('temperature__kitchen', 5)], refusals: [] })
  })

  it.each(PROTOTYPE_KEYS)('a Home Assistant unit %s is not a known unit', (key) => {
    const device = deviceOf('homeassistant', 'ha')
    expect(publish(device, 'homeassistant/sensor/ha/t/config', { state_topic: 'ha/t', device_class: 'temperature', unit_of_measurement: key })).toEqual({ accepted: [], refusals: [] })
    expect(publish(device, 'ha/t', '20').refusals.map((r) => r.code)).toEqual(['UNKNOWN_SHAPE'])
  })

  it.each(PROTOTYPE_KEYS)('a Home Assistant device class %s names a custom metric', (key) => {
    const device = deviceOf('homeassistant', 'ha')
    expect(publish(device, 'homeassistant/sensor/ha/c/config', { state_topic: 'ha/c', name: 'gauge', device_class: key, state_class: 'measurement' })).toEqual({ accepted: [], refusals: [] })
    expect(publish(device, 'ha/c', '7')).toEqual({ accepted: [at('gauge', 7)], refusals: [] })
  })
})

describe('conversions at the edge of the doubles', () => {
  it('refuses 1e308 °F as out of range, not as not finite', () => {
    const device = deviceOf('tasmota', 'plug')
    expect(publish(device, 'tele/plug/SENSOR', '{"AM2301":{"Temperature":1e308},"TempUnit":"F"}').refusals.map((r) => r.code)).toEqual(['OUT_OF_RANGE'])
  })

  it('refuses 1e308 kW as out of range, not as not finite', () => {
    const device = deviceOf('homeassistant', 'ha')
    publish(device, 'homeassistant/sensor/ha/p/config', { state_topic: 'ha/p', device_class: 'power', unit_of_measurement: 'kW' })
    expect(publish(device, 'ha/p', '1e308').refusals.map((r) => r.code)).toEqual(['OUT_OF_RANGE'])
  })

  it('refuses a Tasmota array of more channels than a meter has, keeping the other fields', () => {
    const device = deviceOf('tasmota', 'plug')
    const outcome = publish(device, 'tele/plug/SENSOR', { ENERGY: { Power: Array.from({ length: 17 }, () => 1), Voltage: 230 } })
    expect(outcome.accepted).toEqual([at('voltage', 230)])
    expect(outcome.refusals.map((r) => r.code)).toEqual(['UNKNOWN_SHAPE'])
  })
})

describe('Home Assistant discovery configs take their options literally', () => {
  it('reads an own key __proto__ as an unknown option, not as the prototype of the others', () => {
    const device = deviceOf('homeassistant', 'ha')
    const outcome = publish(device, 'homeassistant/sensor/ha/p/config', '{"__proto__":{"state_topic":"ha/p"},"unit_of_measurement":"°C","name":"p"}')
    expect(outcome.refusals.map((r) => r.code)).toEqual(['UNKNOWN_SHAPE'])
    expect(publish(device, 'ha/p', '20').accepted).toEqual([])
  })

  it('puts a base topic holding $\' in place as it is written', () => {
    const device = deviceOf('homeassistant', 'ha')
    publish(device, 'homeassistant/sensor/ha/d/config', { '~': "ha/a$'", stat_t: '~/b', dev_cla: 'temperature', unit_of_meas: '°C', name: 'dollar' })
    expect(publish(device, "ha/a$'/b", '21')).toEqual({ accepted: [at('temperature__dollar', 21)], refusals: [] })
  })
})
