import { toNumber } from '../validate.ts'
import { own } from './payload.ts'

// Unit conversions into the catalogue's units (metric-catalog.ts). Keyed by the canonical
// metric, then by the unit string as firmware spells it (Home Assistant's
// unit_of_measurement, Tasmota's TempUnit/PressureUnit, Zigbee2MQTT's exposes).

export type Convert = (value: number) => number

/** The identity conversion: the value is already in the canonical unit. */
export const same: Convert = (value) => value
const times = (factor: number): Convert => (value) => value * factor

const temperature: Record<string, Convert> = {
  '°C': same, C: same, '℃': same,
  // Divided, not multiplied by 5 first: (1e308 − 32) × 5 overflows to Infinity, and a finite
  // reading far out of range must be refused as OUT_OF_RANGE, not NOT_FINITE.
  '°F': (f) => (f - 32) / 1.8, F: (f) => (f - 32) / 1.8, '℉': (f) => (f - 32) / 1.8,
  K: (k) => k - 273.15
}
const volume: Record<string, Convert> = {
  'm³': same, m3: same, L: times(0.001), l: times(0.001), 'ft³': times(0.0283168), gal: times(0.00378541)
}

const conversions: Record<string, Record<string, Convert>> = {
  temperature,
  water_temperature: temperature,
  device_temperature: temperature,
  humidity: { '%': same },
  soil_moisture: { '%': same },
  battery: { '%': same },
  co2: { ppm: same },
  power: { W: same, kW: times(1000), mW: times(0.001) },
  energy: { kWh: same, Wh: times(0.001), MWh: times(1000) },
  // inHg and mmHg at 0 °C, the conversions Tasmota itself uses (SetOption24/SetOption139).
  pressure: { hPa: same, mbar: same, Pa: times(0.01), kPa: times(10), bar: times(1000), inHg: times(33.8639), mmHg: times(1.33322), psi: times(68.9476) },
  illuminance: { lx: same, lux: same },
  voltage: { V: same, mV: times(0.001) },
  current: { A: same, mA: times(0.001) },
  rssi: { dBm: same },
  pm25: { 'µg/m³': same, 'μg/m³': same, 'ug/m3': same },
  water_volume: volume,
  gas_volume: volume,
  ph: { pH: same },
  noise: { dB: same, dBA: same }
}

/**
 * How to bring a value in `unit` to the canonical unit of `metric`. No unit means the
 * firmware's documented default, which is the canonical one; an unknown unit gives undefined.
 */
export function conversionFor (metric: string, unit: string | undefined): Convert | undefined {
  if (unit === undefined || unit.trim() === '') return same
  const table = own(conversions, metric)
  if (table === undefined) return same // a custom metric keeps whatever unit it came in
  return own(table, unit.trim())
}

/** Does this unit belong to this metric? (used to weigh a guess from a sensor's name) */
export const unitFits = (metric: string, unit: string | undefined): boolean => conversionFor(metric, unit) !== undefined

/**
 * Applies a conversion to a payload value. A value that is not a number is passed on
 * unchanged so that validation refuses it with its own code (NOT_A_NUMBER); NaN stays NaN
 * (NOT_FINITE). Results are rounded to 12 significant digits to drop binary noise
 * (1234.5 Wh → 1.2345 kWh, not 1.2345000000000002).
 */
export function convert (value: unknown, conversion: Convert): unknown {
  if (conversion === same) return value
  const number = toNumber(value)
  if (number === undefined || !Number.isFinite(number)) return value
  const converted = conversion(number)
  // A finite reading that a factor pushes past the largest double (1e308 kW → W) is still
  // finite on the device: the largest double keeps it refused as OUT_OF_RANGE.
  if (!Number.isFinite(converted)) return Math.sign(converted) * Number.MAX_VALUE
  return Number(converted.toPrecision(12))
}
