import { type LocalTime, localTime } from '../calendar.ts'
import { co2, indoorHumidity, indoorTemperature } from './shapes.ts'
import { type DeviceKind, type MemberContext, W_MS_TO_KWH } from './types.ts'

// Device kinds many sectors install in the same way: a power meter on the distribution
// board (a Shelly Pro 3EM, an ESP32 with a CT clamp) and an indoor air sensor (SCD41-class
// CO₂, temperature and humidity). The sector decides what drives them.

type PerInstant<T> = (time: number, local: LocalTime) => T

/** A power meter: instantaneous W and the kWh register that integrates it. */
export function powerMeter (name: string, watts: (member: MemberContext) => PerInstant<number>, key = 'power'): DeviceKind {
  return {
    key,
    name,
    metrics: ['power', 'energy'],
    counters: [{ metric: 'energy', of: 'power', perUnitMs: W_MS_TO_KWH, start: [800, 60_000] }],
    model (member) {
      const model = watts(member)
      return (time, local) => ({ power: Math.max(0, model(time, local)) })
    }
  }
}

export interface Occupancy {
  people: number
  /** Fresh air supplied, m³/h. */
  freshAirM3h: number
  /** Air conditioner running: 0 … 1. */
  hvacOn: number
  /** Warmth added by people, cooking or lamps, °C. */
  extraHeat?: number
  /** Moisture added by cooking or bathing, % RH. */
  extraHumidity?: number
}

const LAG_MS = 20 * 60_000

/** A CO₂ / temperature / humidity sensor in a room whose occupancy the sector describes. */
export function indoorAir (name: string, occupancy: (member: MemberContext) => PerInstant<Occupancy>, key = 'air'): DeviceKind {
  return {
    key,
    name,
    metrics: ['co2', 'temperature', 'humidity'],
    model (member) {
      const occupied = occupancy(member)
      return (time, local) => {
        const now = occupied(time, local)
        // A room's air changes over tens of minutes: CO₂ lags the crowd (time constant V/Q),
        // so it is taken from the occupancy now and twenty minutes ago.
        const before = occupied(time - LAG_MS, localTime(time - LAG_MS))
        const people = (now.people + before.people) / 2
        const freshAir = (now.freshAirM3h + before.freshAirM3h) / 2
        const outdoor = member.weather.outdoorTemperature(time, local)
        const temperature = indoorTemperature(outdoor, now.hvacOn) + (now.extraHeat ?? 0)
        const humidity = indoorHumidity(member.weather.outdoorHumidity(time, local), outdoor, temperature, now.hvacOn, now.extraHumidity ?? 0)
        return { co2: co2(people, freshAir), temperature, humidity }
      }
    }
  }
}
