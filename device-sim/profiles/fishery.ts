import { type LocalTime, localTime } from '../calendar.ts'
import { hashString } from '../random.ts'
import { powerMeter } from './kinds.ts'
import { clamp, events, window } from './shapes.ts'
import type { DeviceKind, MemberContext, SectorProfile } from './types.ts'

// A fishery cooperative or fish wholesaler with a cold room (冷蔵庫) at 2–5 °C and a live-fish
// tank (生け簀). Sources:
// - 食品衛生法 規格基準: fresh fish for raw eating is stored at 10 °C or below; a fish cold room
//   is usually run at 0–5 °C.
// - ASHRAE Handbook—Refrigeration, "Refrigerated-Facility Loads": in a busy cold room the
//   air that comes in through the door is the largest load; the evaporator is defrosted a
//   few times a day (electric defrost, 20–30 min), and the room warms while it does.
// - 東京都中央卸売市場 開場日カレンダー: markets close (休市日) on Sundays, national holidays
//   and most Wednesdays; landing and auction traffic is early in the morning, shipping after noon.

const MINUTE = 60_000
const DEFROST_EVERY = 6 * 60 * MINUTE
const DEFROST_LENGTH = 25 * MINUTE

const marketOpen = (local: LocalTime): boolean => local.kind !== 'holiday' && local.weekday !== 3

/** Chance that the door opens in a 5-minute slot: the auction in the morning, shipping after noon. */
function doorProbability (local: LocalTime): number {
  if (!marketOpen(local)) return 0.04
  return 0.04 + 0.6 * window(local.hour, 4, 9, 0.5) + 0.3 * window(local.hour, 13, 16, 0.5)
}

interface ColdRoom { temperature: number, humidity: number, doors: number, defrosting: boolean }

function coldRoom (member: MemberContext) {
  const key = hashString(`coldroom:${member.trait('door-key')}`)
  const setpoint = 2.4 + 1.2 * member.trait('setpoint')
  const offset = member.trait('defrost-offset') * DEFROST_EVERY
  const cycle = (20 + 10 * member.trait('cycle')) * MINUTE
  return (time: number): ColdRoom => {
    const slot = 5 * MINUTE
    const opened = events(key, time, slot, 6, (start) => doorProbability(localTime(start)),
      (elapsed, size) => 2.6 * size * Math.exp(-elapsed / (5 * MINUTE)))
    // Doors opened one after another do not add up without limit: the room tends to the air outside.
    const doors = 5 * (1 - Math.exp(-opened / 5))
    const phase = ((time - offset) % DEFROST_EVERY + DEFROST_EVERY) % DEFROST_EVERY
    const defrosting = phase < DEFROST_LENGTH
    const defrost = defrosting ? 4.5 * phase / DEFROST_LENGTH : 4.5 * Math.exp(-(phase - DEFROST_LENGTH) / (8 * MINUTE))
    // The thermostat lets the room swing about half a degree around its set point.
    const swing = 0.45 * Math.sin(2 * Math.PI * time / cycle)
    const temperature = setpoint + swing + doors + defrost
    const humidity = clamp(91 - 1.8 * doors + (defrosting ? 5 : 0), 70, 99)
    return { temperature, humidity, doors, defrosting }
  }
}

const room: DeviceKind = {
  key: 'coldroom',
  name: '冷蔵庫 温湿度計',
  metrics: ['temperature', 'humidity'],
  noise: { temperature: [0.06, 0] },
  model (member) {
    const state = coldRoom(member)
    return (time) => {
      const { temperature, humidity } = state(time)
      return { temperature, humidity }
    }
  }
}

const refrigeration = powerMeter('冷凍機 電力計', (member) => {
  const state = coldRoom(member)
  const rated = 2200 * member.size
  return (time, local) => {
    const { doors, defrosting } = state(time)
    if (defrosting) return rated * 0.6 * member.efficiency // the defrost heater, compressor off
    const outdoor = member.weather.outdoorTemperature(time, local)
    // Duty rises with the outdoor heat the condenser must reject and with every door opening.
    const duty = clamp(0.4 + 0.015 * (outdoor - 15) + 0.18 * doors, 0.15, 1)
    return (rated * duty + 120) * member.efficiency
  }
})

const tank: DeviceKind = {
  key: 'tank',
  name: '生け簀 水温計',
  metrics: ['water_temperature'],
  noise: { water_temperature: [0.05, 0] },
  model (member) {
    const ceiling = 15 + 3 * member.trait('tank')
    return (time, local) => {
      const sea = member.weather.seaTemperature(time, local)
      // Sea water is pumped in; a chiller keeps it from rising above what live fish tolerate.
      const chilled = sea > ceiling ? ceiling + 0.3 * Math.sin(2 * Math.PI * time / (40 * MINUTE)) : sea
      return { water_temperature: chilled }
    }
  }
}

export const fishery: SectorProfile = {
  sector: 'fishery',
  names: ['丸一水産', '浜田漁業協同組合', '海星水産', '網元 かねよ', 'Shiokaze Fisheries', '山平鮮魚店'],
  normalizers: (member) => ({ floorArea: Math.round(60 + 140 * member.size) }),
  devices: [room, refrigeration, tank]
}
