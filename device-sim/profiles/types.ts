import type { LocalTime } from '../calendar.ts'
import type { Weather } from '../climate.ts'
import type { Sector } from '../../server/domain/sectors.ts'

/** One simulated member business: seeded traits every profile reads in its own way. */
export interface MemberContext {
  /** Load scale: 0.5 (a tiny shop) … 2.5 (a big one). Log-normal, like real business sizes. */
  size: number
  /** Energy used for the same activity: 0.75 (new LED, inverter fridges) … 1.35 (old kit). */
  efficiency: number
  /** Fresh-air supply relative to the legal minimum: low means more CO₂ at the same occupancy. */
  ventilation: number
  /** How busy it is compared with its peers: 0.7 … 1.25. */
  popularity: number
  /** Regular day off (定休日), 0 = Sunday … 6 = Saturday; used by sectors that keep one. */
  closedWeekday: number
  /** A further seeded number in [0, 1) for a named trait, so each profile derives its own specifics. */
  trait (name: string): number
  /** The town's weather, shared by every member. */
  weather: Weather
}

/** Expected values (no measurement noise) of a device's gauges at an instant: a pure function. */
export type GaugeModel = (time: number, local: LocalTime) => Record<string, number>

/** A counter a device reports as the running integral of one of its gauges. */
export interface CounterSpec {
  metric: string
  /** The gauge it integrates. */
  of: string
  /** Counter units per (gauge unit × millisecond): W·ms → kWh is 1 / 3.6e9. */
  perUnitMs: number
  /** The meter's reading when the simulation's history starts, chosen per device in this range. */
  start: readonly [number, number]
}

export interface DeviceKind {
  /** Short suffix of the device id (`…-power`). */
  key: string
  /** Human name, as the firmware or the member would call it. */
  name: string
  /** Every metric it reports, gauges and counters. */
  metrics: readonly string[]
  counters?: readonly CounterSpec[]
  /** Measurement noise: [absolute sd, sd relative to the value]; defaults come from readings.ts. */
  noise?: Partial<Record<string, readonly [number, number]>>
  /** Builds the member's model once (constants per member), then it is called per instant. */
  model (member: MemberContext): GaugeModel
}

export interface Normalizers { floorArea?: number, seats?: number, rooms?: number }

export interface SectorProfile {
  sector: Sector
  /** Names the member might have (private: only the member sees it). */
  names: readonly string[]
  normalizers (member: MemberContext): Normalizers
  /** The devices a member of this sector installs, most useful first. */
  devices: readonly DeviceKind[]
}

export const W_MS_TO_KWH = 1 / 3.6e9
export const L_PER_MIN_MS_TO_M3 = 1 / 60_000 / 1000
