import { describe, expect, it } from 'vitest'
import { jst } from '../../device-sim/calendar.ts'
import type { SimDevice } from '../../device-sim/community.ts'
import { DAY, HOUR, MINUTE, SUMMER_WEEK, WINTER_WEEK, community, mean, median, times } from './helpers.ts'

// The shapes each sector's comment promises, checked on the simulated data itself.

const deviceOf = (c: ReturnType<typeof community>, key: string, member = 0): SimDevice => {
  const device = c.devices.filter((d) => d.kind.key === key)[member]
  if (device === undefined) throw new Error(`no ${key} device`)
  return device
}
/** Mean of a metric at a JST hour across several days (Tue–Thu of the summer week by default). */
const atHour = (device: SimDevice, metric: string, hour: number, days = [1, 2, 3], start = SUMMER_WEEK): number =>
  mean(days.flatMap((d) => [0, 10, 20].map((m) => device.sampler.sample(start + d * DAY + hour * HOUR + m * MINUTE)[metric] ?? Number.NaN)))

describe('restaurant', () => {
  // Tuesday–Friday of the summer week, avoiding each member's closed day: use all four members' averages.
  const c = community([{ sector: 'restaurant', count: 4 }])
  it('draws power at lunch and dinner, far above the early morning', () => {
    for (const member of [0, 1, 2, 3]) {
      const power = deviceOf(c, 'power', member)
      const days = [5, 6] // Saturday, Sunday: no 定休日 falls there
      const night = atHour(power, 'power', 4, days)
      expect(atHour(power, 'power', 12.4, days)).toBeGreaterThan(night * 2)
      expect(atHour(power, 'power', 19.5, days)).toBeGreaterThan(night * 2)
    }
  })
  it('fills the dining room with CO₂ when the guests are there', () => {
    const dining = deviceOf(c, 'dining')
    expect(atHour(dining, 'co2', 19.8, [5, 6])).toBeGreaterThan(atHour(dining, 'co2', 16, [5, 6]) + 100)
    expect(atHour(dining, 'co2', 4, [5, 6])).toBeLessThan(500)
  })
})

describe('accommodation (ryokan)', () => {
  const c = community([{ sector: 'accommodation', count: 3 }])
  it('draws hot water in the morning and the evening, little in the afternoon', () => {
    for (const member of [0, 1, 2]) {
      const water = deviceOf(c, 'hotwater', member)
      const afternoon = atHour(water, 'water_flow', 13.5)
      expect(atHour(water, 'water_flow', 7.2)).toBeGreaterThan(afternoon * 1.5)
      expect(atHour(water, 'water_flow', 20)).toBeGreaterThan(afternoon * 2)
    }
  })
  it('is fuller on Saturday night than on a Tuesday night', () => {
    const water = deviceOf(c, 'hotwater')
    expect(atHour(water, 'water_flow', 20.5, [5])).toBeGreaterThan(atHour(water, 'water_flow', 20.5, [1]))
  })
})

describe('fishery cold room', () => {
  const c = community([{ sector: 'fishery', count: 3 }])
  const room = deviceOf(c, 'coldroom')
  const week = times(SUMMER_WEEK, 7, 2 * MINUTE).map((t) => room.sampler.sample(t).temperature ?? Number.NaN)
  it('holds 2–5 °C most of the time', () => {
    expect(median(week)).toBeGreaterThanOrEqual(2)
    expect(median(week)).toBeLessThanOrEqual(5)
    expect(week.filter((v) => v >= 1.5 && v <= 5.5).length / week.length).toBeGreaterThan(0.75)
  })
  it('warms with the door openings of the morning auction', () => {
    const hourly = (from: number, to: number): number => mean([1, 2, 3].flatMap((d) =>
      times(SUMMER_WEEK + d * DAY + from * HOUR, (to - from) / 24, 2 * MINUTE).map((t) => room.sampler.sample(t).temperature ?? 0)))
    expect(hourly(5, 8)).toBeGreaterThan(hourly(19, 22))
  })
  it('defrosts every six hours: each six-hour window holds a peak 3 °C above the usual', () => {
    const usual = median(week)
    for (let w = 0; w < 7 * 4; w++) {
      const window = week.slice(w * 180, (w + 1) * 180) // 180 × 2 min = 6 h
      expect(Math.max(...window)).toBeGreaterThan(usual + 3)
    }
  })
})

describe('aquaculture tank', () => {
  const c = community([{ sector: 'aquaculture', count: 3 }], { devicesPerMember: 1 })
  it('follows the season: warmer water in August than in January', () => {
    for (const tank of c.devices) expect(atHour(tank, 'water_temperature', 12)).toBeGreaterThan(atHour(tank, 'water_temperature', 12, [1, 2, 3], WINTER_WEEK) + 2)
  })
  it('has its least oxygen near dawn and its most in the afternoon', () => {
    for (const tank of c.devices) expect(atHour(tank, 'dissolved_oxygen', 16)).toBeGreaterThan(atHour(tank, 'dissolved_oxygen', 5.5))
  })
})

describe('agriculture greenhouse', () => {
  const c = community([{ sector: 'agriculture', count: 3 }])
  const air = deviceOf(c, 'air')
  it('warms with the sun and dries as it warms', () => {
    expect(atHour(air, 'temperature', 13)).toBeGreaterThan(atHour(air, 'temperature', 4) + 4)
    expect(atHour(air, 'humidity', 13)).toBeLessThan(atHour(air, 'humidity', 4) - 10)
    expect(atHour(air, 'illuminance', 12)).toBeGreaterThan(10_000)
    expect(atHour(air, 'illuminance', 23)).toBe(0)
  })
  it('is heated on winter nights', () => {
    expect(atHour(air, 'temperature', 4, [1, 2, 3], WINTER_WEEK)).toBeGreaterThanOrEqual(9.5)
  })
})

describe('retail', () => {
  const c = community([{ sector: 'retail', count: 3 }])
  it('uses its power during opening hours', () => {
    for (const member of [0, 1, 2]) {
      const power = deviceOf(c, 'power', member)
      expect(atHour(power, 'power', 15, [5, 6])).toBeGreaterThan(atHour(power, 'power', 2, [5, 6]) * 1.5)
    }
  })
})

describe('office', () => {
  const c = community([{ sector: 'office', count: 3 }])
  it('breathes CO₂ on weekdays, not on Sundays', () => {
    const air = deviceOf(c, 'air')
    const weekday = atHour(air, 'co2', 15, [1, 2, 3])
    expect(weekday).toBeGreaterThan(700)
    expect(atHour(air, 'co2', 15, [6])).toBeLessThan(500)
  })
  it('closes on a national holiday: 勤労感謝の日, Monday 23 November 2026', () => {
    const power = deviceOf(c, 'power')
    const holiday = jst(2026, 11, 23)
    const nextMonday = jst(2026, 11, 30)
    expect(atHour(power, 'power', 11, [0], holiday)).toBeLessThan(atHour(power, 'power', 11, [0], nextMonday) * 0.6)
  })
})
