import { createHash } from 'node:crypto'
import type { Candidate } from '../validate.ts'

// The one naming rule for readings from a device with several sensors of one kind (see the
// comment at the top of index.ts): `<canonical>` alone, or `<canonical>__<label>`.
// A double underscore because canonical names contain single ones (`water_temperature`)
// but never two, and a slug never keeps two: the canonical name is always the text before
// the first `__`, so the catalogue's unit, range and counter semantics stay recoverable.

const MAX_METRIC = 64
const SEPARATOR = '__'
/** Custom base names are capped so that a suffix always has room (64 − 40 − 2 = 22). */
const MAX_CUSTOM = 40

/** Lowercase ASCII letters, digits and single underscores (ü → u); '' when nothing Latin is left. */
export function slug (text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
}

/** A short stable digest: keeps names apart when slugging loses them (Japanese, truncation). */
function digest (text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 6)
}

/** The metric for a sensor: the canonical name, suffixed with the sensor's label when it has one. */
export function sensorMetric (canonical: string, label?: string): string {
  if (label === undefined || label.trim() === '') return canonical
  const suffix = slug(label) || digest(label)
  const room = MAX_METRIC - canonical.length - SEPARATOR.length
  const fitted = suffix.length <= room
    ? suffix
    : `${suffix.slice(0, room - 7).replace(/_+$/, '')}_${digest(suffix)}`
  return `${canonical}${SEPARATOR}${fitted}`
}

/** A custom (non-catalogue) metric named after a sensor; always a valid metric name. */
export function customMetric (name: string): string {
  const base = slug(name).slice(0, MAX_CUSTOM).replace(/_+$/, '')
  if (base === '') return `sensor_${digest(name)}`
  return /^[a-z]/.test(base) ? base : `sensor_${base}`.slice(0, MAX_CUSTOM).replace(/_+$/, '')
}

export { canonicalOf } from '../../domain/metric-catalog.ts'

/** One value found in a multi-sensor message, before naming. */
export interface SensorValue { quantity: string, sensor: string, value: unknown }

/**
 * Names the values of one message: a quantity given by one sensor keeps its plain name,
 * a quantity given by several gets every one of them suffixed with its sensor's label,
 * so no two series ever share a metric.
 */
export function keepApart (values: SensorValue[]): Candidate[] {
  const count = new Map<string, number>()
  for (const { quantity } of values) count.set(quantity, (count.get(quantity) ?? 0) + 1)
  return values.map(({ quantity, sensor, value }) => ({
    metric: (count.get(quantity) ?? 0) > 1 ? sensorMetric(quantity, sensor) : quantity,
    value
  }))
}
