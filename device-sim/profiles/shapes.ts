import { hashUnit } from '../random.ts'

// Building blocks shared by the sector profiles: daily shapes, indoor air, event spikes.

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value))

/** A bell around `center` (hours), `width` its standard deviation; wraps around midnight. */
export function bump (hour: number, center: number, width: number): number {
  let d = Math.abs(hour - center)
  if (d > 12) d = 24 - d
  return Math.exp(-0.5 * (d / width) ** 2)
}

/** 1 between `start` and `end` (hours, end may pass 24), with `ramp`-hour soft edges. */
export function window (hour: number, start: number, end: number, ramp = 0.25): number {
  const h = hour < start - 12 ? hour + 24 : hour
  const rise = 1 / (1 + Math.exp(-(h - start) / (ramp / 4)))
  const fall = 1 / (1 + Math.exp((h - end) / (ramp / 4)))
  return rise * fall
}

/** Seasonal cosine: 1 on `peakDay` of the year, −1 half a year later. */
export const season = (dayOfYear: number, peakDay: number): number => Math.cos(2 * Math.PI * (dayOfYear - peakDay) / 365.25)

/** Outdoor CO₂ (global mean ≈ 420 ppm in 2024, NOAA GML) plus what the occupants exhale. */
export const OUTDOOR_CO2 = 425

/**
 * Steady-state CO₂ of a ventilated room: C = C_out + G / Q. A seated adult exhales about
 * 0.02 m³/h of CO₂ (SHASE-S 102); Japan's Building Standard Law asks for 20 m³/h of fresh air
 * per person, which puts a full room near 1 000 ppm — the 建築物衛生法 limit.
 */
export function co2 (people: number, freshAirM3h: number, perPersonM3h = 0.02): number {
  return OUTDOOR_CO2 + (people * perPersonM3h / Math.max(freshAirM3h, 1)) * 1e6
}

/** Saturation vapour pressure (Magnus formula, WMO 2008), hPa. */
export const saturation = (celsius: number): number => 6.112 * Math.exp(17.62 * celsius / (243.12 + celsius))

/** Relative humidity after air at (t1, rh1) is warmed or cooled to t2 without adding water. */
export function rhAt (rh1: number, t1: number, t2: number): number {
  return clamp(rh1 * saturation(t1) / saturation(t2), 1, 100)
}

/**
 * A conditioned room: free-running it follows the outdoors with internal gains; with the
 * air conditioner on (0…1) it is held between the heating and cooling set points — 20 °C
 * and 28 °C are the Ministry of the Environment's WARM BIZ / COOL BIZ recommendations,
 * most shops sit a little inside them.
 */
export function indoorTemperature (outdoor: number, hvacOn: number, heat = 20.5, cool = 26.5): number {
  const free = 0.5 * outdoor + 0.5 * 20 + 2
  return hvacOn * clamp(free, heat, cool) + (1 - hvacOn) * free
}

/** Power an air conditioner draws to hold the room (W per kW of rated capacity × load), ≥ 0. */
export function hvacLoad (outdoor: number, hvacOn: number, ratedW: number): number {
  const demand = outdoor > 22 ? (outdoor - 22) / 12 : outdoor < 16 ? (16 - outdoor) / 14 : 0.05
  return hvacOn * ratedW * clamp(demand, 0.05, 1)
}

/**
 * Indoor relative humidity: outdoor air brought to room temperature; air conditioning dries
 * it, and walls and furniture buffer the extremes of a closed room.
 */
export function indoorHumidity (outdoorRh: number, outdoor: number, indoor: number, hvacOn: number, extra = 0): number {
  const rh = rhAt(outdoorRh, outdoor, indoor)
  const buffered = rh > 65 ? 65 + (rh - 65) * (hvacOn > 0.5 ? 0.2 : 0.5) : rh
  return clamp(buffered + extra, 15, 95)
}

/**
 * Sum of the effects of random events (a door opened, a tray of fish brought in): time is cut
 * into slots, each holds one event with `probability(slotStart)`, at a hashed moment inside
 * it. `effect(elapsedMs)` is what an event still contributes; `lookBack` slots are checked.
 */
export function events (
  key: number, time: number, slotMs: number, lookBack: number,
  probability: (slotStart: number) => number, effect: (elapsedMs: number, size: number) => number
): number {
  const slot = Math.floor(time / slotMs)
  let total = 0
  for (let s = slot - lookBack; s <= slot; s++) {
    const start = s * slotMs
    if (hashUnit(key, s) >= probability(start)) continue
    const at = start + hashUnit(key ^ 0x68e31da4, s) * slotMs
    if (at <= time) total += effect(time - at, 0.5 + hashUnit(key ^ 0x1b873593, s))
  }
  return total
}
