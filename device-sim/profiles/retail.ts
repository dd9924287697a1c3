import type { LocalTime } from '../calendar.ts'
import { indoorAir, powerMeter } from './kinds.ts'
import { bump, clamp, hvacLoad, window } from './shapes.ts'
import type { MemberContext, SectorProfile } from './types.ts'

// A shop on the shopping street (商店街): a grocer, a bakery, a gift shop. Sources:
// - U.S. DOE Commercial Reference Buildings (Deru et al., 2011, NREL/TP-5500-46861),
//   stand-alone retail schedules: lighting and HVAC follow opening hours with a short
//   lead and tail, customer traffic peaks in the afternoon and on weekends.
// - ANRE エネルギー白書 (業務他部門): in shops, lighting, air conditioning and (for food)
//   refrigerated showcases take most of the electricity; showcases run day and night.

interface Shop { opens: number, closes: number, keepsDayOff: boolean, showcases: number, floorArea: number }

function shop (member: MemberContext): Shop {
  const opens = 9 + Math.floor(3 * member.trait('opens'))
  return {
    opens,
    closes: opens + 9 + Math.floor(3 * member.trait('closes')),
    keepsDayOff: member.trait('day-off') < 0.6,
    showcases: member.trait('food') < 0.5 ? 900 * member.size : 0,
    floorArea: Math.round(clamp(40 + 110 * member.size, 30, 600))
  }
}

function openNow (member: MemberContext, s: Shop, local: LocalTime, lead = 0): number {
  if (s.keepsDayOff && local.weekday === member.closedWeekday && local.kind !== 'holiday') return 0
  if (local.month === 1 && local.day === 1) return 0 // 元日 closed
  return window(local.hour, s.opens - lead, s.closes + lead / 2, 0.2)
}

function customers (member: MemberContext, s: Shop, local: LocalTime): number {
  const busy = local.kind === 'workday' ? 1 : 1.6
  const shape = 0.4 + 0.5 * bump(local.hour, 12, 1.2) + bump(local.hour, 16.5, 1.6)
  return openNow(member, s, local) * shape * busy * member.popularity * s.floorArea / 25
}

const power = powerMeter('店舗 電力計', (member) => {
  const s = shop(member)
  return (time, local) => {
    const staffIn = openNow(member, s, local, 0.75)
    const outdoor = member.weather.outdoorTemperature(time, local)
    const lighting = s.floorArea * 14 * staffIn
    const hvac = hvacLoad(outdoor, staffIn, s.floorArea * 55)
    return (s.showcases + 60 + lighting + hvac + 15 * customers(member, s, local)) * member.efficiency
  }
})

const floor = indoorAir('売場 CO₂センサー', (member) => {
  const s = shop(member)
  return (_time, local) => {
    const staffIn = openNow(member, s, local, 0.75)
    return {
      people: customers(member, s, local) + 2 * staffIn,
      freshAirM3h: (0.2 + 0.8 * staffIn) * s.floorArea * 3 * member.ventilation,
      hvacOn: staffIn,
      extraHeat: 0.5 * staffIn // lamps
    }
  }
}, 'floor')

export const retail: SectorProfile = {
  sector: 'retail',
  names: ['八百屋 まるか', 'ベーカリー 小麦の丘', '土産物 ふくや', '酒のかどや', 'Zakka Hinata', '茶舗 緑風堂'],
  normalizers: (member) => ({ floorArea: shop(member).floorArea }),
  devices: [power, floor]
}
