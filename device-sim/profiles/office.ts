import type { LocalTime } from '../calendar.ts'
import { indoorAir, powerMeter } from './kinds.ts'
import { bump, clamp, hvacLoad, window } from './shapes.ts'
import type { MemberContext, SectorProfile } from './types.ts'

// A small office (a tax accountant, a design studio, a cooperative's office). Sources:
// - U.S. DOE Commercial Reference Buildings (Deru et al., 2011), office occupancy schedule:
//   arrival from 08:00, a midday dip, departure from 17:00, little at weekends.
// - 建築物衛生法 (Act on Maintenance of Sanitation in Buildings): CO₂ at most 1 000 ppm; small
//   offices with window ventilation often pass it in the afternoon on weekdays.
// - Ministry of the Environment COOL BIZ / WARM BIZ: rooms at 28 °C in summer, 20 °C in winter.

interface Office { floorArea: number, staff: number, overtime: number, saturdayShare: number }

function office (member: MemberContext): Office {
  const floorArea = Math.round(clamp(50 + 200 * member.size, 40, 1500))
  return {
    floorArea,
    staff: Math.max(2, Math.round(floorArea / 12)),
    overtime: 0.1 + 0.35 * member.trait('overtime'),
    saturdayShare: member.trait('saturday') < 0.3 ? 0.3 : 0.03
  }
}

/** People at their desks, 0…1 of the staff. */
function atWork (o: Office, local: LocalTime): number {
  if (local.kind === 'holiday') return 0
  const h = local.hour
  const day = window(h, 8.7, 18, 0.5) * (1 - 0.45 * bump(h, 12.5, 0.4)) + o.overtime * window(h, 18, 21, 0.6)
  return local.kind === 'saturday' ? day * o.saturdayShare : day
}

const air = indoorAir('執務室 CO₂センサー', (member) => {
  const o = office(member)
  return (_time, local) => {
    const share = atWork(o, local)
    const hvacOn = share > 0.05 ? 1 : 0
    return { people: share * o.staff, freshAirM3h: o.staff * 20 * (0.15 + 0.85 * hvacOn) * member.ventilation, hvacOn, extraHeat: 0.8 * share }
  }
}, 'air')

const power = powerMeter('分電盤 電力計', (member) => {
  const o = office(member)
  return (time, local) => {
    const share = atWork(o, local)
    const outdoor = member.weather.outdoorTemperature(time, local)
    const standby = o.floorArea * 6 // servers, fridge, routers, standby
    const desks = o.staff * 120 * share
    const lights = o.floorArea * 10 * Math.min(1, share * 3)
    return (standby + desks + lights + hvacLoad(outdoor, share > 0.05 ? 1 : 0, o.floorArea * 45)) * member.efficiency
  }
})

export const officeProfile: SectorProfile = {
  sector: 'office',
  names: ['税理士事務所 みなみ', 'デザイン室 こだま', '港町商工会', 'Studio Nagi', '協同組合 事務局', '建築設計 あおば'],
  normalizers: (member) => ({ floorArea: office(member).floorArea }),
  devices: [air, power]
}
