import { metricSpec } from '../server/domain/metric-catalog.ts'
import { localTime } from './calendar.ts'
import { Meter } from './meter.ts'
import type { DeviceKind, GaugeModel, MemberContext } from './profiles/types.ts'
import { hashGauss, hashString, rngFor } from './random.ts'

// Turns a profile's expected values into what a sensor reports: measurement noise, the
// sensor's resolution, physical limits, and the metric catalogue's valid range (a simulated
// reading must never be one the hub would refuse as OUT_OF_RANGE).

/** Measurement noise per metric: [absolute sd, sd relative to the value] (datasheet-typical). */
const NOISE: Record<string, readonly [number, number]> = {
  temperature: [0.08, 0],
  humidity: [0.6, 0],
  co2: [10, 0.01], // SCD41: ±(40 ppm + 5 %) accuracy, much finer repeatability
  power: [2, 0.015],
  water_temperature: [0.05, 0],
  dissolved_oxygen: [0.08, 0],
  illuminance: [0, 0.02],
  ph: [0.02, 0],
  soil_moisture: [0.2, 0],
  water_flow: [0.1, 0.03],
  voltage: [0.5, 0],
  current: [0.05, 0.02],
  noise: [1, 0]
}

/** Digits after the decimal point a typical sensor reports. */
const DECIMALS: Record<string, number> = {
  temperature: 1, humidity: 1, co2: 0, power: 1, energy: 3, water_temperature: 2, dissolved_oxygen: 2,
  illuminance: 0, ph: 2, soil_moisture: 1, water_flow: 2, water_volume: 3, voltage: 1, current: 2, noise: 1
}

/** Physical limits tighter than the catalogue's (no sensor reads CO₂ below the outdoor air's). */
const PHYSICAL: Record<string, readonly [number, number]> = {
  co2: [380, 10_000], humidity: [0, 100], power: [0, Infinity], illuminance: [0, Infinity],
  dissolved_oxygen: [0, 30], ph: [0, 14], soil_moisture: [0, 100], water_flow: [0, Infinity],
  voltage: [0, Infinity], current: [0, Infinity], noise: [20, 140]
}

export function roundTo (value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/** What a device reads at a timestamp; the same seed, device and time always give the same values. */
export class DeviceSampler {
  private readonly model: GaugeModel
  private readonly noiseKeys = new Map<string, number>()
  private readonly meters = new Map<string, Meter>()
  private readonly noise: Record<string, readonly [number, number]>

  constructor (seed: number, deviceId: string, readonly kind: DeviceKind, member: MemberContext, meterEpoch: number) {
    this.model = kind.model(member)
    this.noise = { ...NOISE }
    for (const [metric, noise] of Object.entries(kind.noise ?? {})) if (noise !== undefined) this.noise[metric] = noise
    for (const metric of kind.metrics) this.noiseKeys.set(metric, hashString(`${seed}:${deviceId}:${metric}`))
    for (const counter of kind.counters ?? []) {
      const rng = rngFor(seed, `${deviceId}:${counter.metric}`)
      const start = roundTo(rng.between(counter.start[0], counter.start[1]), 1)
      const rate = (time: number): number => this.model(time, localTime(time))[counter.of] ?? 0
      this.meters.set(counter.metric, new Meter(rate, counter.perUnitMs, start, meterEpoch))
    }
  }

  get metrics (): readonly string[] {
    return this.kind.metrics
  }

  /** Every metric of the device at `time` (epoch ms), as the sensor would report it. */
  sample (time: number): Record<string, number> {
    const expected = this.model(time, localTime(time))
    const out: Record<string, number> = {}
    for (const metric of this.kind.metrics) {
      const meter = this.meters.get(metric)
      const decimals = DECIMALS[metric] ?? 2
      if (meter !== undefined) {
        // Registers are not noisy; floor keeps a rounded counter from ever stepping back.
        out[metric] = Math.floor(meter.at(time) * 10 ** decimals) / 10 ** decimals
        continue
      }
      const value = expected[metric]
      if (value === undefined) continue
      const [absolute, relative] = this.noise[metric] ?? [0, 0]
      const sd = absolute + relative * Math.abs(value)
      const noisy = value + sd * hashGauss(this.noiseKeys.get(metric) ?? 0, time)
      out[metric] = roundTo(withinLimits(metric, noisy), decimals)
    }
    return out
  }
}

export function withinLimits (metric: string, value: number): number {
  const spec = metricSpec(metric)
  const [low, high] = PHYSICAL[metric] ?? [-Infinity, Infinity]
  return Math.min(spec.max, high, Math.max(spec.min, low, value))
}
