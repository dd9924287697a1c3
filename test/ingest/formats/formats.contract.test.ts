import { describe, expect, it } from 'vitest'
import { formats } from '../../../server/ingest/formats/index.ts'
import { topicMatches } from '../../../server/domain/topic-filter.ts'
import type { DeviceFormat } from '../../../server/domain/device-formats.ts'
import { at, deviceOf, publish, readings } from './helpers.ts'

// What every firmware format promises, whatever its firmware (one suite, run against each,
// like MQTT.js's abstract store tests): identity from the login, Tsudoi's native topics as a
// fallback, Home Assistant discovery accepted, nobody else's topics.

const firmware: DeviceFormat[] = ['tasmota', 'esphome', 'shelly', 'zigbee2mqtt', 'homeassistant']

describe.each(firmware)('%s format contract', (format) => {
  const device = deviceOf(format, 'site/node-1')
  const native = `tsudoi/umi-farm/${device.id}/`

  it('accepts the native topics of its own device', () => {
    expect(publish(device, `${native}telemetry`, { water_temperature: 18.5, ts: '2025-06-01T02:59:00Z' }))
      .toEqual({ accepted: [{ metric: 'water_temperature', value: 18.5, time: Date.parse('2025-06-01T02:59:00Z') }], refusals: [] })
    expect(publish(device, `${native}dissolved_oxygen`, '7.9')).toEqual(readings(at('dissolved_oxygen', 7.9)))
    expect(publish(device, `${native}status`, 'online')).toEqual({ accepted: [], refusals: [], status: 'online' })
  })

  it('refuses another device\'s native and firmware topics', () => {
    for (const topic of ['tsudoi/umi-farm/someone-else/telemetry', 'tsudoi/other-member/x/telemetry', 'site/node-2/sensor/t/state', 'tele/site/node-2/SENSOR']) {
      expect(publish(device, topic, '{}')).toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to ${topic}` }] })
    }
  })

  it('accepts Home Assistant discovery configs and their removal', () => {
    const config = { name: 'Temperature', dev_cla: 'temperature', unit_of_meas: '°C', stat_t: 'homeassistant/sensor/node-1/state' }
    expect(publish(device, 'homeassistant/sensor/node-1/temperature/config', config)).toEqual(readings())
    expect(publish(device, 'homeassistant/sensor/node-1/temperature/config', '')).toEqual(readings())
  })

  it('publishes only within its own topic, discovery and native prefix', () => {
    const filters = formats[format].publishFilters(device)
    expect(filters).toContain('homeassistant/#')
    expect(filters).toContain(`${native}#`)
    for (const filter of filters.filter((f) => f !== 'homeassistant/#' && f !== `${native}#`)) {
      expect(filter.split('/')).toEqual(expect.arrayContaining(['site', 'node-1']))
    }
    expect(filters.some((filter) => topicMatches(filter, 'site/node-10/x'))).toBe(false)
  })

  it('subscribes within its own command topics, native prefix and Home Assistant\'s status only', () => {
    const filters = formats[format].subscribeFilters(device)
    expect(filters).toContain('homeassistant/status')
    expect(filters).toContain(`${native}#`)
    expect(filters).not.toContain('homeassistant/#')
    expect(filters).not.toContain('#')
  })
})

describe('filters per format', () => {
  const filtersOf = (format: DeviceFormat, topic: string): { publish: string[], subscribe: string[] } => {
    const device = { id: 'd1', member: 'm1', sector: 'retail', format, topic }
    return { publish: formats[format].publishFilters(device), subscribe: formats[format].subscribeFilters(device) }
  }

  it('builds Tasmota\'s from its Topic, in both FullTopic orders', () => {
    expect(filtersOf('tasmota', 'plug')).toEqual({
      publish: ['tele/plug/#', 'plug/tele/#', 'stat/plug/#', 'plug/stat/#', 'homeassistant/#', 'tsudoi/m1/d1/#'],
      subscribe: ['cmnd/plug/#', 'plug/cmnd/#', 'homeassistant/status', 'tsudoi/m1/d1/#']
    })
  })

  it('builds the others\' from their topic prefix or base topic', () => {
    for (const format of ['esphome', 'shelly', 'zigbee2mqtt', 'homeassistant'] as const) {
      expect(filtersOf(format, 'zigbee2mqtt_m1')).toEqual({
        publish: ['zigbee2mqtt_m1/#', 'homeassistant/#', 'tsudoi/m1/d1/#'],
        subscribe: ['zigbee2mqtt_m1/#', 'homeassistant/status', 'tsudoi/m1/d1/#']
      })
    }
  })

  it('gives a firmware topic inside a reserved namespace no filters of its own', () => {
    for (const topic of ['tsudoi', 'tsudoi/other-member/other-device', 'homeassistant', '$SYS']) {
      expect(filtersOf('esphome', topic)).toEqual({ publish: ['homeassistant/#', 'tsudoi/m1/d1/#'], subscribe: ['homeassistant/status', 'tsudoi/m1/d1/#'] })
    }
    expect(filtersOf('tasmota', 'tsudoi').publish).toEqual(['tele/tsudoi/#', 'stat/tsudoi/#', 'homeassistant/#', 'tsudoi/m1/d1/#'])
  })

  it('gives a firmware topic that is a whole shared root no filters of its own (issue 12: a device registered before the registry refused them)', () => {
    for (const format of ['esphome', 'shelly', 'zigbee2mqtt', 'homeassistant'] as const) {
      for (const topic of ['tele', 'cmnd', 'stat', 'zigbee2mqtt']) {
        expect(filtersOf(format, topic)).toEqual({ publish: ['homeassistant/#', 'tsudoi/m1/d1/#'], subscribe: ['homeassistant/status', 'tsudoi/m1/d1/#'] })
      }
    }
    expect(filtersOf('zigbee2mqtt', 'zigbee2mqtt/shop').publish).toEqual(['zigbee2mqtt/shop/#', 'homeassistant/#', 'tsudoi/m1/d1/#'])
  })

  it('leaves the native formats as they were', () => {
    expect(filtersOf('json', 'x')).toEqual({ publish: ['tsudoi/m1/d1/#'], subscribe: ['tsudoi/m1/d1/#'] })
    expect(filtersOf('plain', 'x')).toEqual({ publish: ['tsudoi/m1/d1/#'], subscribe: ['tsudoi/m1/d1/#'] })
  })
})
