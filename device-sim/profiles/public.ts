import { DAY_MS, type LocalTime, localTime } from '../calendar.ts'
import { indoorAir, powerMeter } from './kinds.ts'
import { bump, hvacLoad, window } from './shapes.ts'
import type { MemberContext, SectorProfile } from './types.ts'

// A community hall or library (公民館, 図書館). Source: the municipal ordinances that run them
// (e.g. 公民館条例/図書館条例 of most towns): open 09:00 to 17:00 or 21:00, closed on Mondays
// (on Tuesday when Monday is a holiday) and over the New Year (12/29–1/3); evening classes on weekdays.

interface Hall { closes: number, floorArea: number }

function hall (member: MemberContext): Hall {
  return { closes: member.trait('hours') < 0.5 ? 17 : 21, floorArea: Math.round(300 + 500 * member.size) }
}

const localYesterdayHoliday = (time: number): boolean => localTime(time - DAY_MS).kind === 'holiday'

function closedDay (local: LocalTime, yesterdayWasHoliday: boolean): boolean {
  if ((local.month === 12 && local.day >= 29) || (local.month === 1 && local.day <= 3)) return true
  return (local.weekday === 1 && local.kind !== 'holiday') || (local.weekday === 2 && yesterdayWasHoliday)
}

function open (h: Hall, time: number, local: LocalTime): number {
  return closedDay(local, local.weekday === 2 && localYesterdayHoliday(time)) ? 0 : window(local.hour, 9, h.closes, 0.3)
}

function visitors (member: MemberContext, h: Hall, time: number, local: LocalTime): number {
  const o = open(h, time, local)
  const daytime = bump(local.hour, 10.5, 1.2) + bump(local.hour, 14.5, 1.5)
  const evening = local.kind === 'workday' ? 0.8 * bump(local.hour, 19.8, 0.8) : 0
  const busy = local.kind === 'workday' ? 1 : 1.5
  return o * (daytime + evening) * busy * member.popularity * h.floorArea / 40
}

const power = powerMeter('受電盤 電力計', (member) => {
  const h = hall(member)
  return (time, local) => {
    const o = open(h, time, local)
    const outdoor = member.weather.outdoorTemperature(time, local)
    return (h.floorArea * 4 + h.floorArea * 11 * o + hvacLoad(outdoor, o, h.floorArea * 40)) * member.efficiency
  }
})

const air = indoorAir('ホール CO₂センサー', (member) => {
  const h = hall(member)
  return (time, local) => {
    const o = open(h, time, local)
    return { people: visitors(member, h, time, local) + 3 * o, freshAirM3h: h.floorArea * 2.5 * (0.2 + 0.8 * o) * member.ventilation, hvacOn: o }
  }
}, 'hall')

export const publicProfile: SectorProfile = {
  sector: 'public',
  names: ['みなと公民館', '市立図書館 分館', '地区センター ひかり', 'Community Hall Umi', '町民会館'],
  normalizers: (member) => ({ floorArea: hall(member).floorArea }),
  devices: [power, air]
}
