import { describe, expect, it } from 'vitest'
import { metricCatalog } from '../../server/domain/metric-catalog.ts'
import { sectors } from '../../server/domain/sectors.ts'
import { profiles } from '../../device-sim/profiles/index.ts'
import { DAY, SUMMER_WEEK, WINTER_WEEK, community, times } from './helpers.ts'

// Every sector, several members (so several sizes, efficiencies and set points), a simulated
// week in summer and one in winter at 15-minute steps: every value a device reports must be
// one the hub accepts and one the physics allows; every counter must only go up.

const PHYSICAL: Record<string, [number, number]> = {
  temperature: [-10, 45], humidity: [0, 100], co2: [380, 5000], power: [0, 200_000], energy: [0, 1e7],
  water_temperature: [5, 70], dissolved_oxygen: [4, 15], illuminance: [0, 130_000], ph: [6.5, 9],
  soil_moisture: [5, 60], water_flow: [0, 500], water_volume: [0, 1e6], voltage: [180, 225],
  current: [0, 500], noise: [20, 120]
}

describe.each(sectors)('the %s profile over a simulated week', (sector) => {
  // Meters count from a day before each week (integrating months of history would only cost time).
  const seasonal = (start: number) => community([{ sector, count: 4 }], { devicesPerMember: profiles[sector].devices.length, meterEpoch: start - DAY })
  const c = seasonal(WINTER_WEEK)

  it.each([['summer', SUMMER_WEEK], ['winter', WINTER_WEEK]] as const)('stays in the catalogue\'s and physical ranges (%s)', (_season, start) => {
    const outside: string[] = []
    for (const device of seasonal(start).devices) {
      for (const t of times(start, 7, 15 * 60_000)) {
        const values = device.sampler.sample(t)
        if (Object.keys(values).length !== device.kind.metrics.length) outside.push(`${device.id} reported ${Object.keys(values).join(',')}`)
        for (const [metric, value] of Object.entries(values)) {
          const spec = metricCatalog[metric]
          const [low, high] = PHYSICAL[metric] ?? [-Infinity, Infinity]
          if (spec === undefined || !Number.isFinite(value) || value < spec.min || value > spec.max || value < low || value > high) {
            outside.push(`${device.id} ${metric}=${value} at ${new Date(t).toISOString()}`)
          }
        }
      }
    }
    expect(outside.slice(0, 5)).toEqual([])
  })

  it('never lets a counter decrease, and counts up over the week', () => {
    for (const device of c.devices) {
      for (const counter of device.kind.counters ?? []) {
        const series = times(WINTER_WEEK, 7, 10 * 60_000).map((t) => device.sampler.sample(t)[counter.metric] ?? Number.NaN)
        const steps = series.slice(1).map((value, i) => value - (series[i] ?? Number.NaN))
        expect(steps.filter((step) => !(step >= 0))).toEqual([])
        expect(series.at(-1)).toBeGreaterThan(series[0] ?? Infinity)
      }
    }
  })

  it('reports integrals of its gauge: kWh over a day ≈ mean W × 24 h', () => {
    for (const device of seasonal(SUMMER_WEEK).devices.filter((d) => d.kind.counters?.some((k) => k.metric === 'energy'))) {
      const day = times(SUMMER_WEEK, 1, 5 * 60_000)
      const meanPower = day.reduce((sum, t) => sum + (device.sampler.sample(t).power ?? 0), 0) / day.length
      const kWh = (device.sampler.sample(SUMMER_WEEK + DAY).energy ?? 0) - (device.sampler.sample(SUMMER_WEEK).energy ?? 0)
      expect(kWh).toBeGreaterThan(meanPower * 24 / 1000 * 0.9)
      expect(kWh).toBeLessThan(meanPower * 24 / 1000 * 1.1)
    }
  })
})

describe('the member traits', () => {
  it('make members of the same sector differ in size and efficiency, so comparisons have something to show', () => {
    const c = community([{ sector: 'restaurant', count: 8 }], { devicesPerMember: 1 })
    const dailyKWh = c.devices.map((d) => (d.sampler.sample(SUMMER_WEEK + DAY).energy ?? 0) - (d.sampler.sample(SUMMER_WEEK).energy ?? 0))
    expect(Math.max(...dailyKWh) / Math.min(...dailyKWh)).toBeGreaterThan(1.8)
    const seats = c.members.map((m) => m.normalizers.seats ?? 0)
    expect(new Set(seats).size).toBeGreaterThan(4)
    expect(seats.every((n) => n >= 12 && n <= 90)).toBe(true)
  })
})
