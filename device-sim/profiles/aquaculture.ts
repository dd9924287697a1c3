import { HOUR_MS, type LocalTime, localTime } from '../calendar.ts'
import { powerMeter } from './kinds.ts'
import { bump, clamp, season, window } from './shapes.ts'
import type { DeviceKind, MemberContext, SectorProfile } from './types.ts'

// A land-based fish farm: open-air tanks fed with pumped sea water (madai, hirame) or spring
// water (trout, ayu). Sources:
// - Water temperature: JMA coastal sea-surface temperature normals (see climate.ts); spring
//   water farms swing far less (groundwater stays near the annual mean air temperature).
// - Dissolved oxygen at saturation: Benson & Krause (1984), as the polynomial in APHA
//   Standard Methods 4500-O; sea water holds about 19 % less (salinity 34).
// - The day's DO cycle: Boyd & Tucker, "Pond Aquaculture Water Quality Management" (1998):
//   algae photosynthesis lifts DO through the day to a peak in the late afternoon, respiration
//   pulls it to a minimum near dawn, feeding adds a dip; pH follows photosynthesis (CO₂ uptake).

/** Oxygen solubility in fresh water at 1 atm, mg/L (Benson & Krause 1984, APHA 4500-O). */
export const oxygenSaturation = (celsius: number): number =>
  14.652 - 0.41022 * celsius + 0.007991 * celsius ** 2 - 0.000077774 * celsius ** 3

interface Farm { seaWater: boolean, stocking: number, offset: number, feedings: readonly number[] }

function farm (member: MemberContext): Farm {
  return {
    seaWater: member.trait('water') > 0.3,
    // Fish per tank volume drives respiration: heavier stocking, deeper night-time dips.
    stocking: 0.6 + 0.8 * member.trait('stocking'),
    offset: -1 + 2 * member.trait('site'),
    feedings: member.trait('feedings') > 0.5 ? [8, 16] : [7.5, 12, 16.5]
  }
}

function waterTemperature (member: MemberContext, f: Farm, time: number, local: LocalTime): number {
  const diurnal = 0.35 * Math.cos(2 * Math.PI * (local.hour - 15.5) / 24)
  if (f.seaWater) return member.weather.seaTemperature(time, local) + f.offset + diurnal
  return 14.5 + 3 * season(local.dayOfYear, 225) + f.offset * 0.5 + diurnal * 0.5
}

/** Photosynthesis 0…1: the sunlight of the last hours (DO builds up while the sun shines). */
function photosynthesis (member: MemberContext, time: number): number {
  let light = 0
  for (const hoursAgo of [0, 1, 2, 3]) light += member.weather.irradiance(localTime(time - hoursAgo * HOUR_MS))
  return clamp(light / 4 / 800, 0, 1)
}

const tank: DeviceKind = {
  key: 'tank',
  name: '水槽 水質センサー',
  metrics: ['water_temperature', 'dissolved_oxygen', 'ph'],
  noise: { water_temperature: [0.04, 0], dissolved_oxygen: [0.08, 0], ph: [0.02, 0] },
  model (member) {
    const f = farm(member)
    return (time, local) => {
      const temperature = waterTemperature(member, f, time, local)
      const saturation = oxygenSaturation(temperature) * (f.seaWater ? 0.81 : 1)
      const sun = photosynthesis(member, time)
      const feeding = f.feedings.reduce((sum, at) => sum + bump(local.hour, at + 0.4, 0.4), 0)
      // Aerators run at night and keep the minimum above what the fish need (≥ 5 mg/L).
      const aeration = 0.05 * window(local.hour, 21, 30)
      const share = 0.86 + 0.16 * sun - 0.07 * f.stocking * (1 - sun) - 0.08 * f.stocking * feeding + aeration
      const oxygen = Math.max(saturation * share, 5)
      const ph = (f.seaWater ? 7.95 : 7.2) + 0.3 * sun - 0.08 * feeding
      return { water_temperature: temperature, dissolved_oxygen: oxygen, ph }
    }
  }
}

const pumps = powerMeter('ポンプ・ブロワー 電力計', (member) => {
  const f = farm(member)
  const rated = 1600 * member.size
  return (_time, local) => {
    // Intake pumps run around the clock; blowers add at night and after feeding.
    const night = window(local.hour, 21, 30)
    const feeding = f.feedings.reduce((sum, at) => sum + bump(local.hour, at + 0.5, 0.5), 0)
    return rated * (0.6 + 0.25 * night + 0.15 * Math.min(feeding, 1)) * member.efficiency
  }
}, 'pumps')

export const aquaculture: SectorProfile = {
  sector: 'aquaculture',
  names: ['海の幸養殖場', '清流ます園', 'ひらめ陸上養殖 潮彩', '鯛の里ファーム', 'Ayu no Sato', '若潮水産養殖'],
  normalizers: (member) => ({ floorArea: Math.round(200 + 800 * member.size) }),
  devices: [tank, pumps]
}
