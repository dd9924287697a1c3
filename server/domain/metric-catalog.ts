// Canonical metrics (docs/architecture.md, "The data model"). Gauges aggregate by mean; counters by their
// increase per bucket. The range catches units gone wrong (°F sent as °C, Wh as kWh) and
// sensor faults (a DHT22 reporting -999) before they skew a community's comparison.
export type MetricKind = 'gauge' | 'counter'

export interface MetricSpec { unit: string, kind: MetricKind, min: number, max: number }

export const metricCatalog: Record<string, MetricSpec> = {
  temperature: { unit: '°C', kind: 'gauge', min: -80, max: 200 },
  humidity: { unit: '%', kind: 'gauge', min: 0, max: 100 },
  co2: { unit: 'ppm', kind: 'gauge', min: 0, max: 100_000 },
  power: { unit: 'W', kind: 'gauge', min: -1_000_000, max: 1_000_000 },
  energy: { unit: 'kWh', kind: 'counter', min: 0, max: 1e12 },
  water_temperature: { unit: '°C', kind: 'gauge', min: -5, max: 100 },
  dissolved_oxygen: { unit: 'mg/L', kind: 'gauge', min: 0, max: 50 },
  illuminance: { unit: 'lx', kind: 'gauge', min: 0, max: 200_000 },
  pressure: { unit: 'hPa', kind: 'gauge', min: 300, max: 1100 },
  voltage: { unit: 'V', kind: 'gauge', min: 0, max: 1000 },
  current: { unit: 'A', kind: 'gauge', min: -1000, max: 1000 },
  battery: { unit: '%', kind: 'gauge', min: 0, max: 100 },
  water_flow: { unit: 'L/min', kind: 'gauge', min: 0, max: 100_000 },
  water_volume: { unit: 'm³', kind: 'counter', min: 0, max: 1e12 },
  gas_volume: { unit: 'm³', kind: 'counter', min: 0, max: 1e12 },
  ph: { unit: 'pH', kind: 'gauge', min: 0, max: 14 },
  salinity: { unit: 'PSU', kind: 'gauge', min: 0, max: 80 },
  soil_moisture: { unit: '%', kind: 'gauge', min: 0, max: 100 },
  pm25: { unit: 'µg/m³', kind: 'gauge', min: 0, max: 10_000 },
  noise: { unit: 'dB', kind: 'gauge', min: 0, max: 200 },
  rssi: { unit: 'dBm', kind: 'gauge', min: -150, max: 0 }
}

export const METRIC_NAME = /^[a-z][a-z0-9_]{0,63}$/

/**
 * `temperature__ds18b20_2` → `temperature`: a device with several sensors of one kind names
 * them `<canonical>__<label>` (formats/sensor-metric.ts), and the label must not cost the
 * reading its unit, range or counter semantics.
 */
export function canonicalOf (metric: string): string {
  const at = metric.indexOf('__')
  return at === -1 ? metric : metric.slice(0, at)
}

/** A custom metric (any valid name outside the catalogue) is kept as a unit-less gauge. */
export function metricSpec (name: string): MetricSpec {
  return catalogued(name) ?? catalogued(canonicalOf(name)) ?? { unit: '', kind: 'gauge', min: -Number.MAX_VALUE, max: Number.MAX_VALUE }
}

// Own entries only: a metric a device names `constructor` would otherwise get Object's
// constructor as its spec — no range, no unit, no kind.
const catalogued = (name: string): MetricSpec | undefined => Object.hasOwn(metricCatalog, name) ? metricCatalog[name] : undefined
