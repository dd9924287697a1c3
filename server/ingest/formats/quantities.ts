import { own } from './payload.ts'
import { customMetric, sensorMetric, slug } from './sensor-metric.ts'
import { type Convert, conversionFor, same, unitFits } from './units.ts'

// What a named sensor measures, for firmware that describes sensors instead of naming
// fields (Home Assistant discovery, ESPHome object ids). Evidence in order of strength:
// the device_class, a unit that can only mean one quantity, then words in the name.

// https://www.home-assistant.io/integrations/sensor/#device-class
const DEVICE_CLASSES: Record<string, string> = {
  temperature: 'temperature',
  humidity: 'humidity',
  carbon_dioxide: 'co2',
  power: 'power',
  energy: 'energy',
  pressure: 'pressure',
  atmospheric_pressure: 'pressure',
  illuminance: 'illuminance',
  voltage: 'voltage',
  current: 'current',
  battery: 'battery',
  signal_strength: 'rssi',
  pm25: 'pm25',
  water: 'water_volume',
  gas: 'gas_volume',
  ph: 'ph',
  sound_pressure: 'noise'
}

/** Device classes whose state is not a number: nothing to read, nothing to refuse. */
export const NON_NUMERIC_CLASSES = new Set(['enum', 'timestamp', 'date'])

const UNIT_QUANTITIES: Record<string, string> = {
  '°C': 'temperature', '°F': 'temperature', K: 'temperature',
  W: 'power', kW: 'power',
  Wh: 'energy', kWh: 'energy', MWh: 'energy',
  V: 'voltage', mV: 'voltage',
  A: 'current', mA: 'current',
  lx: 'illuminance',
  hPa: 'pressure', mbar: 'pressure', inHg: 'pressure', mmHg: 'pressure', kPa: 'pressure',
  dBm: 'rssi'
}

// Word sequences of a slugged name → quantity; the first entry that matches wins, so the
// specific comes before the general. `null` keeps a name out of a canonical metric.
const NAME_WORDS: Array<[string[][], string | null]> = [
  [[['power', 'factor'], ['reactive', 'power'], ['apparent', 'power']], null],
  [[['water', 'temperature'], ['water', 'temp']], 'water_temperature'],
  [[['internal', 'temperature'], ['device', 'temperature'], ['chip', 'temperature']], 'device_temperature'],
  [[['temperature'], ['temp']], 'temperature'],
  [[['humidity']], 'humidity'],
  [[['co2'], ['carbon', 'dioxide']], 'co2'],
  [[['pm25'], ['pm2', '5'], ['pm', '2', '5']], 'pm25'],
  [[['illuminance'], ['lux']], 'illuminance'],
  [[['pressure']], 'pressure'],
  [[['voltage']], 'voltage'],
  [[['current']], 'current'],
  [[['power']], 'power'],
  [[['energy']], 'energy'],
  [[['battery']], 'battery'],
  [[['rssi'], ['wifi', 'signal'], ['signal']], 'rssi'],
  [[['soil', 'moisture'], ['moisture']], 'soil_moisture'],
  [[['ph']], 'ph'],
  [[['noise']], 'noise']
]

/** Where `words` occurs in `tokens`, or -1. */
function indexOfWords (tokens: string[], words: string[]): number {
  for (let i = 0; i + words.length <= tokens.length; i++) {
    if (words.every((word, j) => tokens[i + j] === word)) return i
  }
  return -1
}

/** The quantity a name speaks of, and what is left of the name once its words are removed. */
function fromName (name: string, only?: string): { quantity: string | null, rest: string } | undefined {
  const tokens = slug(name).split('_').filter((token) => token !== '')
  for (const [sequences, quantity] of NAME_WORDS) {
    if (only !== undefined && quantity !== only) continue
    for (const words of sequences) {
      const at = indexOfWords(tokens, words)
      if (at === -1) continue
      const rest = [...tokens.slice(0, at), ...tokens.slice(at + words.length)].join('_')
      return { quantity, rest }
    }
  }
  return undefined
}

export interface SensorDescription {
  /** The sensor's own name (object id or friendly name); the label comes from it. */
  name: string
  deviceClass?: string | undefined
  unit?: string | undefined
}

export type Resolved =
  | { metric: string, conversion: Convert }
  | { problem: string }

/**
 * The metric and unit conversion for a described sensor. The name, stripped of the words
 * that name the quantity, becomes the suffix (`outdoor_temperature` → `temperature__outdoor`);
 * a sensor nothing identifies becomes a custom metric named after it.
 */
export function resolveSensor ({ name, deviceClass, unit }: SensorDescription): Resolved {
  let quantity = (deviceClass !== undefined ? own(DEVICE_CLASSES, deviceClass) : undefined) ??
    (unit !== undefined ? own(UNIT_QUANTITIES, unit.trim()) : undefined)
  let rest = name
  if (quantity !== undefined) {
    rest = fromName(name, quantity)?.rest ?? name
  } else {
    // Words are weak evidence: a "humidity" in g/m³ is not relative humidity, keep it custom.
    const guess = fromName(name)
    if (guess?.quantity && unitFits(guess.quantity, unit)) {
      quantity = guess.quantity
      rest = guess.rest
    }
  }
  if (quantity === undefined) return { metric: customMetric(name), conversion: same }
  const conversion = conversionFor(quantity, unit)
  if (conversion === undefined) return { problem: `unit ${JSON.stringify(unit)} cannot be converted to ${quantity}` }
  return { metric: sensorMetric(quantity, rest), conversion }
}
