import type { LocalTime } from '../calendar.ts'
import { hashString } from '../random.ts'
import { indoorAir, powerMeter } from './kinds.ts'
import { bump, clamp, events, hvacLoad, window } from './shapes.ts'
import type { DeviceKind, MemberContext, SectorProfile } from './types.ts'

// A small restaurant (食堂, 居酒屋, ラーメン店). Sources for the shape:
// - U.S. DOE Commercial Reference Buildings, full-service restaurant schedules (Deru et al.,
//   2011, NREL/TP-5500-46861): occupancy with a lunch and a dinner peak, cooking equipment
//   following it with a preparation lead, refrigeration running around the clock. Moved
//   here to Japanese meal times (lunch 11:30–14:00, dinner 18:00–22:00).
// - DECC, the non-residential building energy database of the Japan Sustainable Building
//   Consortium (非住宅建築物の環境関連データベース): restaurants use among the most energy per
//   m² of all commercial buildings — cooking, refrigeration and air conditioning.
// - CO₂ from the guests: see shapes.ts (SHASE-S 102, 20 m³/h per person).

/** Share of the seats taken, 0…1. `lunchLean` > 1: a 食堂 living from lunch; < 1: an 居酒屋. */
function guestShare (member: MemberContext, local: LocalTime, lunchLean: number): number {
  if (local.weekday === member.closedWeekday && local.kind !== 'holiday') return 0
  const dayOff = local.kind !== 'workday'
  const lunch = 0.7 * lunchLean * (dayOff ? 1.25 : 1) * bump(local.hour, 12.4, 0.6) * window(local.hour, 11.5, 14.5)
  const dinner = 0.8 * (2 - lunchLean) * (local.weekday === 5 || local.weekday === 6 ? 1.2 : 1) *
    bump(local.hour, 19.5, 1.1) * window(local.hour, 17.5, 22.5)
  return clamp((lunch + dinner) * member.popularity, 0, 1)
}

const isOpenDay = (member: MemberContext, local: LocalTime): boolean =>
  local.weekday !== member.closedWeekday || local.kind === 'holiday'

function seats (member: MemberContext): number {
  return Math.round(clamp(14 + 26 * member.size, 12, 90))
}

function model (member: MemberContext) {
  const n = seats(member)
  const lunchLean = 0.4 + 1.2 * member.trait('lunch')
  return { n, lunchLean, share: (local: LocalTime) => guestShare(member, local, lunchLean) }
}

const power = powerMeter('分電盤 電力計', (member) => {
  const { n, share } = model(member)
  return (time, local) => {
    const open = isOpenDay(member, local) ? window(local.hour, 10, 23) : 0
    // Cooking starts before the guests arrive (仕込み) and follows them.
    const prep = isOpenDay(member, local) ? 0.35 * (bump(local.hour, 10.7, 0.5) + bump(local.hour, 16.8, 0.6)) : 0
    const refrigeration = n * 16
    const lightsAndFans = n * 30 * open
    const cooking = n * 110 * clamp(prep + share(local), 0, 1.2)
    const outdoor = member.weather.outdoorTemperature(time, local)
    return (refrigeration + lightsAndFans + cooking + hvacLoad(outdoor, open, n * 70)) * member.efficiency
  }
})

const dining = indoorAir('客席 CO₂センサー', (member) => {
  const { n, share } = model(member)
  return (_time, local) => {
    const guests = share(local)
    const open = isOpenDay(member, local) ? window(local.hour, 10.5, 22.8) : 0
    return {
      people: guests * n + open * 3, // plus the staff
      freshAirM3h: (0.15 + 0.85 * open) * n * 20 * member.ventilation,
      hvacOn: open,
      extraHeat: 1.2 * guests,
      extraHumidity: 6 * guests // steam from the kitchen and the dishes
    }
  }
}, 'dining')

const fridge: DeviceKind = {
  key: 'fridge',
  name: '業務用冷蔵庫',
  metrics: ['temperature'],
  model (member) {
    const { share } = model(member)
    const key = hashString(`fridge:${member.trait('fridge-key')}`)
    const setpoint = 3 + 1.5 * member.trait('fridge-setpoint')
    return (time, local) => {
      // Doors open while cooking; each opening lets warm air in that the compressor removes in minutes.
      const doors = events(key, time, 5 * 60_000, 2, () => 0.1 + 0.8 * share(local),
        (elapsed, size) => 2.2 * size * Math.exp(-elapsed / (4 * 60_000)))
      const cycle = 0.5 * Math.sin(2 * Math.PI * time / (22 * 60_000))
      return { temperature: setpoint + cycle + doors }
    }
  }
}

export const restaurant: SectorProfile = {
  sector: 'restaurant',
  names: ['食堂 さくら', '居酒屋 みなと', 'ラーメン 一福', 'そば処 やまびこ', 'Café Tsubame', '定食 ひなた', '寿司 潮', 'Bistro Kaze'],
  normalizers: (member) => ({ seats: seats(member), floorArea: Math.round(seats(member) * 2.2) }),
  devices: [power, dining, fridge]
}
