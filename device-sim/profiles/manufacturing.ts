import type { LocalTime } from '../calendar.ts'
import { powerMeter } from './kinds.ts'
import { bump, clamp, window } from './shapes.ts'
import type { DeviceKind, MemberContext, SectorProfile } from './types.ts'

// A small workshop or food factory (町工場, 水産加工場). Kept simple: load follows the shift.
// Sources:
// - ANRE エネルギー白書 (製造業): a factory's electricity is a flat block while the line runs,
//   with a base of compressors and cold storage when it does not.
// - Low-voltage supply in Japan: 202 ± 20 V (電気事業法施行規則 第38条); three-phase 200 V
//   feeds the machines, so current is P / (√3 · V · PF).
// - MHLW 騒音障害防止のためのガイドライン: work areas at 85 dB(A) and over need measures;
//   a machining workshop typically sits at 75–85 dB(A) while running.

interface Plant { rated: number, twoShifts: boolean, saturday: boolean }

function plant (member: MemberContext): Plant {
  return { rated: 12_000 * member.size, twoShifts: member.trait('shifts') < 0.3, saturday: member.trait('saturday') < 0.5 }
}

/** The line running: 0…1. Lunch 12:00–13:00 stops it. */
function running (p: Plant, local: LocalTime): number {
  if (local.kind === 'holiday' || (local.kind === 'saturday' && !p.saturday)) return 0
  const h = local.hour
  const day = window(h, 8, 17, 0.3) * (1 - 0.8 * bump(h, 12.5, 0.3))
  return clamp(day + (p.twoShifts ? window(h, 17, 22, 0.3) : 0), 0, 1)
}

function load (member: MemberContext, p: Plant, local: LocalTime): number {
  return (p.rated * 0.12 + p.rated * 0.88 * running(p, local)) * member.efficiency
}

const power: DeviceKind = {
  ...powerMeter('動力盤 電力計', (member) => {
    const p = plant(member)
    return (_time, local) => load(member, p, local)
  }),
  metrics: ['power', 'energy', 'current', 'voltage'],
  noise: { voltage: [0.4, 0], current: [0.05, 0.02] },
  model (member) {
    const p = plant(member)
    return (_time, local) => {
      const watts = load(member, p, local)
      const voltage = 204 - 5 * running(p, local) // the line draws the supply down a little
      return { power: watts, current: watts / (Math.sqrt(3) * voltage * 0.85), voltage }
    }
  }
}

const workshop: DeviceKind = {
  key: 'workshop',
  name: '作業場 環境センサー',
  metrics: ['temperature', 'humidity', 'noise'],
  noise: { noise: [1.2, 0] },
  model (member) {
    const p = plant(member)
    return (time, local) => {
      const on = running(p, local)
      const outdoor = member.weather.outdoorTemperature(time, local)
      const temperature = 0.6 * outdoor + 0.4 * 18 + 3 + 3 * on // machines warm the unheated hall
      const humidity = clamp(member.weather.outdoorHumidity(time, local) - 8 * on, 20, 95)
      return { temperature, humidity, noise: 42 + 38 * on + 3 * member.trait('loud') }
    }
  }
}

export const manufacturing: SectorProfile = {
  sector: 'manufacturing',
  names: ['山田製作所', '海老原水産加工', '東工業', '木工房 ひのき', 'Kobayashi Seiki', 'みなと食品工業'],
  normalizers: (member) => ({ floorArea: Math.round(150 + 500 * member.size) }),
  devices: [power, workshop]
}
