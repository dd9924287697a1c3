import { DAY_MS, type LocalTime, localTime, nextDayKind } from '../calendar.ts'
import { hashString, hashUnit } from '../random.ts'
import { type Occupancy, indoorAir, powerMeter } from './kinds.ts'
import { bump, clamp, hvacLoad, window } from './shapes.ts'
import { type DeviceKind, L_PER_MIN_MS_TO_M3, type MemberContext, type SectorProfile } from './types.ts'

// A ryokan (旅館): guests arrive in the afternoon, bathe and dine in the evening, bathe
// and breakfast again in the morning, leave by ten. Sources:
// - Japan Tourism Agency, 宿泊旅行統計調査 (Overnight Travel Statistics Survey): ryokan room
//   occupancy runs lower than hotels (roughly 30–45 %), with Saturday nights, the nights
//   before holidays, August, November (紅葉) and the New Year far above the rest.
// - ASHRAE Handbook—HVAC Applications, "Service Water Heating": hotel hot-water demand in
//   two peaks, morning and evening; SHASE puts a hotel guest at 150–250 L of hot water a day.
// - MHLW レジオネラ症防止指針 (2003): stored hot water at 60 °C, at least 55 °C at the tap.

/** Share of the rooms taken the night that starts on this day (month table from the JTA survey's shape). */
const MONTHLY_OCCUPANCY = [0.32, 0.33, 0.40, 0.40, 0.44, 0.33, 0.44, 0.60, 0.42, 0.47, 0.52, 0.40]

function nightOccupancy (member: MemberContext, dayStart: number, key: number): number {
  const local = localTime(dayStart)
  const next = nextDayKind(dayStart)
  const beforeDayOff = next === 'holiday' ? 1.7 : next === 'saturday' ? 1.2 : 1
  const base = (MONTHLY_OCCUPANCY[local.month - 1] ?? 0.4) * beforeDayOff * member.popularity
  return clamp(base * (0.8 + 0.4 * hashUnit(key, local.dayNumber)), 0.05, 0.98)
}

function rooms (member: MemberContext): number {
  return Math.round(clamp(5 + 14 * member.size, 5, 60))
}

/** Guests in the house: last night's until check-out at 10:00, tonight's from check-in at 15:00 (after midnight they are `last`). */
function guests (member: MemberContext, key: number, time: number, local: LocalTime): { last: number, tonight: number } {
  const today = time - (local.hour / 24) * DAY_MS
  const perRoom = 2.2
  const n = rooms(member) * perRoom
  return {
    last: n * nightOccupancy(member, today - DAY_MS, key) * window(local.hour, -12, 10, 1),
    tonight: local.hour < 12 ? 0 : n * nightOccupancy(member, today, key) * window(local.hour, 15, 30, 1.5)
  }
}

function occupancyKey (member: MemberContext): number {
  return hashString(`ryokan:${member.trait('occupancy')}`)
}

/** Hot water drawn, L/min: ~200 L a guest a day, 30 % in the morning, 55 % in the evening. */
function hotWater (g: { last: number, tonight: number }, hour: number): number {
  const density = (center: number, width: number): number => bump(hour, center, width) / (width * Math.sqrt(2 * Math.PI))
  const litresPerHour = 200 * (g.last * 0.3 * density(7.2, 0.9) + g.tonight * 0.55 * density(20, 1.6)) +
    20 * (g.last + g.tonight) * 0.15 / 7 * window(hour, 9, 16)
  return litresPerHour / 60 + 0.3 // the circulation loop and a dripping tap
}

const power = powerMeter('受電盤 電力計', (member) => {
  const key = occupancyKey(member)
  const n = rooms(member)
  return (time, local) => {
    const g = guests(member, key, time, local)
    const h = local.hour
    const inHouse = g.last + g.tonight
    const kitchen = 90 * (g.last * bump(h, 7.3, 0.8) + g.tonight * bump(h, 18, 1.3))
    const lights = 70 * inHouse * window(h, 16.5, 23.5)
    const laundry = n * 45 * window(h, 10, 14)
    const outdoor = member.weather.outdoorTemperature(time, local)
    const roomsConditioned = hvacLoad(outdoor, 1, 350) * inHouse / 2.2
    return (n * 55 + kitchen + lights + laundry + roomsConditioned) * member.efficiency
  }
})

const boiler: DeviceKind = {
  key: 'hotwater',
  name: '給湯 流量計',
  metrics: ['water_flow', 'water_volume', 'water_temperature'],
  counters: [{ metric: 'water_volume', of: 'water_flow', perUnitMs: L_PER_MIN_MS_TO_M3, start: [300, 25_000] }],
  noise: { water_flow: [0.15, 0.04], water_temperature: [0.15, 0] },
  model (member) {
    const key = occupancyKey(member)
    const peak = rooms(member) * 2.2 * 0.5
    const setpoint = 60 + 2 * member.trait('boiler')
    return (time, local) => {
      const flow = hotWater(guests(member, key, time, local), local.hour)
      // At peak draw the boiler cannot keep up and the tap temperature sags a few degrees.
      return { water_flow: flow, water_temperature: setpoint - 4 * clamp(flow / peak, 0, 1) }
    }
  }
}

const lobby = indoorAir('ロビー CO₂センサー', (member) => {
  const key = occupancyKey(member)
  return (time, local): Occupancy => {
    const g = guests(member, key, time, local)
    const h = local.hour
    const people = 2 + 0.25 * g.tonight * bump(h, 16, 1.2) + 0.3 * g.last * bump(h, 9.3, 0.6) + 0.1 * g.tonight * window(h, 19, 22)
    return { people, freshAirM3h: rooms(member) * 12 * member.ventilation, hvacOn: window(h, 6, 23) }
  }
}, 'lobby')

export const accommodation: SectorProfile = {
  sector: 'accommodation',
  names: ['旅館 はなの湯', '湯宿 かじか', '民宿 しおさい', '旅館 山水', 'Ryokan Tsukimi', '温泉宿 ゆずりは'],
  normalizers: (member) => ({ rooms: rooms(member), floorArea: rooms(member) * 45 }),
  devices: [power, boiler, lobby]
}
