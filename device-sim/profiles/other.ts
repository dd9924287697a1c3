import { indoorAir, powerMeter } from './kinds.ts'
import { hvacLoad, window } from './shapes.ts'
import type { SectorProfile } from './types.ts'

// Anything else (a clinic, a hair salon, a garage): a plain business day, 09:00–18:00 on
// workdays and Saturdays, closed on Sundays and holidays. Deliberately generic; the DOE
// reference building schedules (Deru et al., 2011) for small commercial buildings have this shape.

const hours = (kind: string, hour: number): number => (kind === 'holiday' ? 0 : window(hour, 9, 18, 0.4))

const power = powerMeter('分電盤 電力計', (member) => {
  const base = 150 * member.size
  return (time, local) => {
    const on = hours(local.kind, local.hour)
    const outdoor = member.weather.outdoorTemperature(time, local)
    return (base + 1500 * member.size * on + hvacLoad(outdoor, on, 2500 * member.size)) * member.efficiency
  }
})

const air = indoorAir('室内 環境センサー', (member) => (_time, local) => {
  const on = hours(local.kind, local.hour)
  return { people: (2 + 6 * member.size) * on, freshAirM3h: (30 + 120 * member.size) * member.ventilation, hvacOn: on }
})

export const other: SectorProfile = {
  sector: 'other',
  names: ['さくら整骨院', 'ヘアサロン 凪', '港モータース', 'Atelier Sora', 'こども教室 えがお'],
  normalizers: (member) => ({ floorArea: Math.round(40 + 120 * member.size) }),
  devices: [power, air]
}
