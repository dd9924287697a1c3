import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { errorCatalogue } from '../../server/errors.ts'
import { type DecodeContext, decodePublish } from '../../server/ingest/decode.ts'
import { LearnedDiscovery } from '../../server/ingest/formats/discovery.ts'
import type { DeviceIdentity } from '../../server/domain/identity.ts'
import { formats } from '../../server/ingest/formats/index.ts'
import { METRIC_NAME, metricSpec } from '../../server/domain/metric-catalog.ts'
import type { DeviceFormat } from '../../server/domain/device-formats.ts'

// The whole decode path — topic ACL, every format of the formats table, discovery, the common
// checks — under random topics in the device's own trees and hostile payloads (issue 12, item 1).
// Whatever comes in, nothing throws out, no decoder fails (PROCESSING_FAILED is the net, not an
// outcome), and what is accepted is a reading the store and every view can use.

const NOW = Date.UTC(2026, 11, 2, 3, 0, 0)
const YEAR_2000 = Date.UTC(2000, 0, 1)
const MAX_PAYLOAD = 64 * 1024
const CONTEXT: DecodeContext = { maxPayload: MAX_PAYLOAD, discovery: new LearnedDiscovery() }
const FORMATS = Object.keys(formats) as DeviceFormat[]
const RUNS = 2000

const devices: DeviceIdentity[] = FORMATS.flatMap((format) => [1, 2].map((n) => ({
  id: `fuzz-${format}-${n}`, member: 'fuzz-member', sector: 'retail', format, topic: `fz${n}_${format}`
})))

// Words firmware uses in topics and payloads, so random input reaches deep into each decoder.
const TOPIC_WORDS = ['SENSOR', 'STATE', 'LWT', 'STATUS10', 'STATUS8', 'RESULT', 'status', 'sensor', 'state', 'events', 'rpc',
  'online', 'switch:0', 'switch:1', 'bridge', 'availability', 'telemetry', 'temperature', 'co2', 'errors', 'config', 'debug',
  'set', 'get', 'cmd', 'led', 'homeassistant', 'tele', 'stat', 'cmnd', 'tsudoi', 'outdoor_temperature', 'humidity', 'x']
const KEYS = ['Temperature', 'Humidity', 'Pressure', 'ENERGY', 'Total', 'Power', 'Voltage', 'AM2301', 'DS18B20-1', 'ESP32', 'BL09XX',
  'TempUnit', 'PressureUnit', 'StatusSNS', 'Wifi', 'Signal', 'temperature', 'humidity', 'battery', 'voltage', 'illuminance',
  'illuminance_lux', 'power', 'energy', 'co2', 'ts', 'method', 'params', 'switch:0', 'switch:2', 'apower', 'aenergy', 'tC', 'rh',
  'percent', 'state', 'state_topic', 'stat_t', 'value_template', 'val_tpl', 'device_class', 'dev_cla', 'unit_of_measurement',
  'unit_of_meas', '~', 'cmps', 'p', 'platform', 'availability', 'avty_t', 'name', 'object_id', '__proto__', 'constructor', 'toString']
const STRINGS = ['C', 'F', 'hPa', 'mmHg', 'kWh', 'Wh', '°C', '°F', 'K', 'mV', 'online', 'offline', 'true', 'false', 'NotifyStatus',
  'NotifyFullStatus', 'sensor', 'temperature', 'nan', '-Infinity', '1e20', '-0', '0x10', '21.5', '{{ value }}', '{{ value_json.a.b }}',
  '{{ value_json.temperature }}', '~/state', 'fz1_auto/state', 'homeassistant/status', '9999-99-99T00:00:00Z', '2026-12-02T03:00:00Z',
  '\u0000', '\uD800', '\uFFFD', '温度', 'Ｔｅｍｐ', 'e\u0301', '\u202Etemperature', '#', '+', '/', '']

const extremeNumber = fc.constantFrom(1e20, -1e20, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, 1e308, -1e308, Number.MAX_VALUE,
  Number.MIN_VALUE, -0, 0, 5e-324, 2 ** 53 + 1, NOW, NOW / 1000, NOW + 86_400_001, 946_684_799_999, 1e-7, 3.4028235e38)
const anyNumber = fc.oneof(extremeNumber, fc.double(), fc.integer(), fc.double({ min: -300, max: 300, noNaN: true }))
const text = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ unit: 'binary', maxLength: 20 }), anyNumber.map(String))

/** JSON values as text, written by hand so that -0 and 1e400 survive (JSON.stringify would change them). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyNumber.map((n) => (Object.is(n, -0) ? '-0' : Number.isFinite(n) ? String(n) : '1e400')),
    text.map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null', '1e400', '-1e400', '-0.0', '1E+308'),
    fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), text), tie('value')), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`)
  )
})).value

const payload: fc.Arbitrary<Buffer> = fc.oneof(
  jsonText.map((s) => Buffer.from(s)),
  // A known key holding a value nested far past any stack's recursion depth.
  fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 1000, max: 30_000 }), fc.constantFrom('[', '{"a":'))
    .map(([key, depth, open]) => Buffer.from(`{${JSON.stringify(key)}:${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`)),
  // Huge arrays of numbers: Tasmota's channel arrays, a telemetry backlog.
  fc.tuple(fc.constantFrom('Power', 'temperature'), fc.integer({ min: 1000, max: 8000 }), anyNumber)
    .map(([key, n, v]) => Buffer.from(`{"ENERGY":{"${key}":[${Array(n).fill(Number.isFinite(v) ? v : 1).join(',')}]},"${key}":1}`)),
  fc.integer({ min: 100, max: 3000 }).map((n) => Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => ({ [`m${i}`]: i, ts: NOW - i }))))),
  text.map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.alloc(MAX_PAYLOAD + 1, 0x31))
)

/** A topic under one of the device's publish filters, its wildcards filled with firmware words and random text. */
function topicIn (device: DeviceIdentity): fc.Arbitrary<string> {
  const filters = formats[device.format].publishFilters(device)
  const level = fc.oneof(fc.constantFrom(...TOPIC_WORDS), fc.string({ maxLength: 8 }).filter((s) => !/[/+#]/.test(s)))
  return fc.tuple(fc.constantFrom(...filters), fc.array(level, { maxLength: 4 }), level).map(([filter, tail, one]) => {
    const filled = filter.replace(/\+/g, one)
    return filled.endsWith('/#') ? [filled.slice(0, -2), ...tail].join('/') : filled
  })
}

const publish = fc.constantFrom(...devices).chain((device) => fc.record({
  device: fc.constant(device),
  topic: fc.oneof({ weight: 6, arbitrary: topicIn(device) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
  payload
}))

describe('decodePublish under fuzzing', () => {
  it(`never throws, and accepts only usable readings or refuses with a known code (${RUNS} publishes)`, () => {
    fc.assert(fc.property(publish, ({ device, topic, payload }) => {
      const outcome = decodePublish(device, topic, payload, NOW, CONTEXT)
      expect(outcome.failure).toBeUndefined()
      for (const refusal of outcome.refusals) {
        expect(refusal.code).not.toBe('PROCESSING_FAILED')
        expect(errorCatalogue[refusal.code].mqtt).toBe('refuse-payload')
        expect(typeof refusal.message).toBe('string')
        expect(refusal.message.length).toBeLessThan(2000)
      }
      for (const reading of outcome.accepted) {
        expect(reading.metric).toMatch(METRIC_NAME)
        expect(Number.isFinite(reading.value)).toBe(true)
        expect(Object.is(reading.value, -0)).toBe(false)
        const spec = metricSpec(reading.metric)
        expect(reading.value).toBeGreaterThanOrEqual(spec.min)
        expect(reading.value).toBeLessThanOrEqual(spec.max)
        expect(Number.isInteger(reading.time)).toBe(true)
        expect(reading.time).toBeGreaterThanOrEqual(YEAR_2000)
        expect(reading.time).toBeLessThanOrEqual(NOW + 86_400_000)
        expect(() => new Date(reading.time).toISOString()).not.toThrow()
      }
    }), { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) })
  }, 120_000)

  it('reads state topics a fuzzed discovery config announced, and still never throws', () => {
    const config = fc.record({
      dev_cla: fc.constantFrom('temperature', 'humidity', 'power', 'energy', 'enum', 'x', undefined),
      unit_of_meas: fc.constantFrom('°C', '°F', 'K', 'W', 'kW', 'Wh', '%', 'mV', '', 'furlong', undefined),
      val_tpl: fc.constantFrom('{{ value }}', '{{ value_json.a }}', '{{ value_json.a.b }}', '{{ value_json.ts }}', '{{ x }}', undefined),
      name: fc.oneof(fc.constantFrom('Outdoor temperature', '温度', 'x'.repeat(300), ''), fc.string({ maxLength: 12 }))
    })
    const run = fc.tuple(fc.constantFrom(...devices), fc.string({ maxLength: 6 }).filter((s) => /^[a-z0-9_]+$/.test(s)), config, jsonText)
    fc.assert(fc.property(run, ([device, id, announced, state]) => {
      const stateTopic = `${device.topic}/fuzz/${id}`
      const body = Object.fromEntries(Object.entries({ ...announced, stat_t: stateTopic }).filter(([, v]) => v !== undefined))
      const learn = decodePublish(device, `homeassistant/sensor/${device.topic}/${id}/config`, Buffer.from(JSON.stringify(body)), NOW, CONTEXT)
      const read = decodePublish(device, stateTopic, Buffer.from(state), NOW, CONTEXT)
      for (const outcome of [learn, read]) {
        expect(outcome.refusals.map((r) => r.code)).not.toContain('PROCESSING_FAILED')
        for (const reading of outcome.accepted) {
          expect(Number.isFinite(reading.value)).toBe(true)
          expect(reading.metric).toMatch(METRIC_NAME)
        }
      }
    }), { numRuns: 1500 })
  }, 120_000)
})
