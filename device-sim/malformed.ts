import { metricSpec } from '../server/domain/metric-catalog.ts'
import type { SimDevice } from './community.ts'
import type { Publication, Values } from './payloads.ts'
import { metricTopic, telemetryTopic } from './topics.ts'

// Payloads real firmware gets wrong, each one the hub must refuse with one stable code
// (server/errors.ts). `expect` is that code, so the summary can set what was sent against
// what the hub said.

export interface Malformed extends Publication { kind: string, expect: string }

interface Variant { kind: string, expect: string, build (device: SimDevice, values: Values, metric: string): Omit<Publication, 'readings'> }

const telemetry = (device: SimDevice, payload: string): Omit<Publication, 'readings'> => ({ topic: telemetryTopic(device), payload })

/** The value a sensor driver sends when the read fails: −999 (DHT22/DS18B20 libraries), or an overflowed register. */
function errorCode (metric: string): number {
  return metricSpec(metric).min > -999 ? -999 : metricSpec(metric).max * 10
}

const jsonVariants: readonly Variant[] = [
  // A buffer cut short by a too-small MQTT_MAX_PACKET_SIZE (PubSubClient's default is 256 bytes).
  { kind: 'truncated-json', expect: 'INVALID_JSON', build: (d, v) => telemetry(d, JSON.stringify(v).slice(0, -3)) },
  { kind: 'string-value', expect: 'NOT_A_NUMBER', build: (d, _v, m) => telemetry(d, JSON.stringify({ [m]: 'n/a' })) },
  { kind: 'sensor-error-code', expect: 'OUT_OF_RANGE', build: (d, _v, m) => telemetry(d, JSON.stringify({ [m]: errorCode(m) })) },
  { kind: 'bad-metric-name', expect: 'INVALID_METRIC_NAME', build: (d, v, m) => telemetry(d, JSON.stringify({ 'Temp-C': v[m] ?? 21.5 })) },
  { kind: 'empty-object', expect: 'EMPTY_PAYLOAD', build: (d) => telemetry(d, '{}') }
]

const plainVariants: readonly Variant[] = [
  { kind: 'comma-decimal', expect: 'NOT_A_NUMBER', build: (d, v, m) => ({ topic: metricTopic(d, m), payload: String(v[m] ?? 21.5).replace('.', ',') + (Number.isInteger(v[m]) ? ',0' : '') }) },
  { kind: 'unit-suffix', expect: 'NOT_A_NUMBER', build: (d, v, m) => ({ topic: metricTopic(d, m), payload: `${v[m] ?? 21.5} ${metricSpec(m).unit || 'u'}` }) },
  { kind: 'nan', expect: 'NOT_FINITE', build: (d, _v, m) => ({ topic: metricTopic(d, m), payload: 'nan' }) }
]

/** A malformed payload of the device's format; `pick` chooses the variant and the metric (0 ≤ pick < 1). */
export function malformedPayload (device: SimDevice, values: Values, pick: number): Malformed {
  const variants = device.format === 'plain' ? plainVariants : jsonVariants
  const variant = variants[Math.floor(pick * variants.length)] ?? (variants[0] as Variant)
  const metrics = device.kind.metrics
  const metric = metrics[Math.floor(((pick * variants.length) % 1) * metrics.length)] ?? metrics[0] ?? 'temperature'
  return { ...variant.build(device, values, metric), readings: 0, kind: variant.kind, expect: variant.expect }
}
