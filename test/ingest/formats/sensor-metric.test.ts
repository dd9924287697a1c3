import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { METRIC_NAME, metricCatalog } from '../../../server/domain/metric-catalog.ts'
import { canonicalOf, customMetric, keepApart, sensorMetric } from '../../../server/ingest/formats/sensor-metric.ts'
import { resolveSensor } from '../../../server/ingest/formats/quantities.ts'

// The one naming rule for several sensors of one kind (server/ingest/formats/index.ts).

describe('sensorMetric', () => {
  it('keeps the canonical name alone without a label, and adds __<slug> with one', () => {
    expect(sensorMetric('temperature')).toBe('temperature')
    expect(sensorMetric('temperature', '')).toBe('temperature')
    expect(sensorMetric('temperature', 'DS18B20-2')).toBe('temperature__ds18b20_2')
    expect(sensorMetric('power', 'switch:1')).toBe('power__switch_1')
    expect(sensorMetric('temperature', 'Küche / Kühlschrank')).toBe('temperature__kuche_kuhlschrank')
  })

  it('keeps names without Latin letters apart with a digest', () => {
    const living = sensorMetric('temperature', 'リビング')
    const kitchen = sensorMetric('temperature', '台所')
    expect(living).toMatch(/^temperature__[0-9a-f]{6}$/)
    expect(kitchen).toMatch(/^temperature__[0-9a-f]{6}$/)
    expect(living).not.toBe(kitchen)
  })

  it('shortens long labels to 64 characters and keeps them apart', () => {
    const a = sensorMetric('water_temperature', 'greenhouse north row 12 hydroponic tank inlet probe A')
    const b = sensorMetric('water_temperature', 'greenhouse north row 12 hydroponic tank inlet probe B')
    expect(a.length).toBeLessThanOrEqual(64)
    expect(a).not.toBe(b)
  })

  it('always gives a valid metric name whose canonical part is recoverable', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.keys(metricCatalog)), fc.string({ maxLength: 200 }), (canonical, label) => {
      const metric = sensorMetric(canonical, label)
      expect(metric).toMatch(METRIC_NAME)
      expect(canonicalOf(metric)).toBe(canonical)
    }))
  })

  it('names custom metrics validly, whatever the sensor is called', () => {
    expect(customMetric('Uptime')).toBe('uptime')
    expect(customMetric('3-phase total')).toBe('sensor_3_phase_total')
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (name, label) => {
      expect(customMetric(name)).toMatch(METRIC_NAME)
      expect(sensorMetric(customMetric(name), label)).toMatch(METRIC_NAME)
    }))
  })
})

describe('keepApart', () => {
  it('suffixes a quantity only when several sensors of one message give it', () => {
    expect(keepApart([
      { quantity: 'temperature', sensor: 'DS18B20-1', value: 19.6 },
      { quantity: 'temperature', sensor: 'SI7021', value: 20.6 },
      { quantity: 'humidity', sensor: 'SI7021', value: 31.9 }
    ])).toEqual([
      { metric: 'temperature__ds18b20_1', value: 19.6 },
      { metric: 'temperature__si7021', value: 20.6 },
      { metric: 'humidity', value: 31.9 }
    ])
  })
})

describe('resolveSensor', () => {
  it('weighs device class over unit over the words of the name', () => {
    expect(resolveSensor({ name: 'outdoor', deviceClass: 'temperature', unit: '°C' })).toMatchObject({ metric: 'temperature__outdoor' })
    expect(resolveSensor({ name: 'probe', unit: 'kWh' })).toMatchObject({ metric: 'energy__probe' })
    expect(resolveSensor({ name: 'Living Room Humidity' })).toMatchObject({ metric: 'humidity__living_room' })
    // A "humidity" in g/m³ is absolute humidity: not the catalogue's %, so a custom metric.
    expect(resolveSensor({ name: 'absolute_humidity', unit: 'g/m³' })).toMatchObject({ metric: 'absolute_humidity' })
    expect(resolveSensor({ name: 'Oven', deviceClass: 'temperature', unit: '°Ré' }))
      .toEqual({ problem: 'unit "°Ré" cannot be converted to temperature' })
  })
})
