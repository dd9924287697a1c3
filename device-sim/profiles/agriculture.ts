import { HOUR_MS, type LocalTime, localTime } from '../calendar.ts'
import { powerMeter } from './kinds.ts'
import { clamp, rhAt } from './shapes.ts'
import type { DeviceKind, MemberContext, SectorProfile } from './types.ts'

// A plastic greenhouse (ビニールハウス) growing tomatoes or strawberries. Sources:
// - Stanghellini, Van 't Ooster & Heuvelink, "Greenhouse Horticulture: Technology for
//   Optimal Crop Production" (Wageningen Academic, 2019): the greenhouse warms with solar
//   radiation until the vents open; the crop's transpiration keeps the air humid; at night
//   humidity climbs towards saturation as the air cools.
// - Sun and outdoor air: climate.ts (Cooper, Spencer, Haurwitz; JMA normals).
// - Set points common for tomatoes in Japan: heat to about 12 °C at night, vent from 27 °C.

interface House { transmission: number, heatAt: number, ventAt: number, gain: number }

function house (member: MemberContext): House {
  return {
    transmission: 0.6 + 0.15 * member.trait('film'), // aged film lets less light through
    heatAt: 10 + 4 * member.trait('heating'),
    ventAt: 26 + 3 * member.trait('vent'),
    gain: 0.018 + 0.006 * member.trait('gain') // °C per W/m² above outdoor, vents closed
  }
}

function climate (member: MemberContext, h: House, time: number, local: LocalTime) {
  const outdoor = member.weather.outdoorTemperature(time, local)
  const sun = member.weather.irradiance(local)
  const passive = outdoor + 1.5 + sun * h.gain
  // Above the vent set point, open vents shed most of the extra heat.
  const vented = passive > h.ventAt ? h.ventAt + (passive - h.ventAt) * 0.3 : passive
  const temperature = Math.max(vented, h.heatAt)
  const heating = Math.max(0, h.heatAt - passive)
  return { outdoor, sun, temperature, heating, venting: passive > h.ventAt }
}

const air: DeviceKind = {
  key: 'air',
  name: 'ハウス内 環境センサー',
  metrics: ['temperature', 'humidity', 'illuminance'],
  noise: { illuminance: [0, 0.04] }, // a lux sensor reads a true 0 at night
  model (member) {
    const h = house(member)
    return (time, local) => {
      const { sun, temperature, venting } = climate(member, h, time, local)
      // Near saturation at dawn, the day's coolest moment; warmed by the sun, the same water at a
      // higher temperature is a lower RH. Transpiration adds back part of it, open vents let it out.
      const dawn = time - (local.hour - 5) * HOUR_MS
      const coolest = climate(member, h, dawn, localTime(dawn)).temperature
      const humidity = clamp(rhAt(94, coolest, temperature) + 10 * Math.min(sun / 600, 1) - (venting ? 6 : 0), 30, 98)
      return { temperature, humidity, illuminance: sun * 110 * h.transmission }
    }
  }
}

/** Volumetric soil water, %: drip irrigation refills it, sunshine (transpiration) draws it down. */
const soil: DeviceKind = {
  key: 'soil',
  name: '土壌水分センサー',
  metrics: ['soil_moisture'],
  noise: { soil_moisture: [0.15, 0] },
  model (member) {
    const fieldCapacity = 34 + 6 * member.trait('soil')
    return (time, local) => {
      // Irrigation at 07:00, and again at 13:00 from May to September.
      const shots = local.month >= 5 && local.month <= 9 ? [7, 13] : [7]
      const today = shots.filter((at) => at <= local.hour)
      const last = today.length > 0
        ? time - (local.hour - (today.at(-1) ?? 7)) * HOUR_MS
        : time - (local.hour + 24 - (shots.at(-1) ?? 7)) * HOUR_MS
      let drawn = 0
      for (let t = last; t < time; t += HOUR_MS) {
        const step = Math.min(HOUR_MS, time - t) / HOUR_MS
        drawn += (0.3 + member.weather.irradiance(localTime(t)) * 0.004) * step
      }
      return { soil_moisture: clamp(fieldCapacity - drawn, 12, 50) }
    }
  }
}

const fans = powerMeter('換気扇・ヒートポンプ 電力計', (member) => {
  const h = house(member)
  const area = 400 + 800 * member.size
  return (time, local) => {
    const c = climate(member, h, time, local)
    const circulation = area * 0.8
    const ventFans = c.venting ? area * 2.5 : 0
    const heatPump = c.heating * area * 4 // ~4 W per m² and degree of lift, COP included
    return (circulation + ventFans + heatPump) * member.efficiency
  }
})

export const agriculture: SectorProfile = {
  sector: 'agriculture',
  names: ['青空ファーム', 'みのり農園', 'いちごハウス 紅', 'トマト工房 陽だまり', 'Midori Farm', '大地農産'],
  normalizers: (member) => ({ floorArea: Math.round(400 + 800 * member.size) }),
  devices: [air, soil, fans]
}
