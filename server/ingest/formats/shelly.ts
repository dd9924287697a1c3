import type { Candidate } from '../validate.ts'
import { type DecodeResult, nothing, refused } from './format.ts'
import { type FirmwareRules, firmwareFormat, under } from './firmware.ts'
import { isPlainObject } from './native.ts'
import { dig, own, readObject } from './payload.ts'
import { sensorMetric } from './sensor-metric.ts'
import { conversionFor, convert } from './units.ts'

// Shelly Gen2 API (Plus, Pro, and Gen3/Gen4 which speak the same RPC):
// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Mqtt
// - `<prefix>/online`: `true`/`false` (the last will);
// - `<prefix>/status/<component>`: a component's whole status ("Generic status update over MQTT");
// - `<prefix>/events/rpc`: NotifyStatus/NotifyFullStatus with the changed parts of several components.
// The notifications' `ts` is not used: Shelly publishes live and its clock may not be set yet.
// Gen1 devices (`shellies/<id>/…`) are not supported.

interface Read { quantity: string, path: string[], unit?: string }

// Switches, covers, lights and PM meters report the same metering block. The relay's own
// `temperature` is the device's, not the room's: `device_temperature`, a custom metric.
const METERING: Read[] = [
  { quantity: 'power', path: ['apower'] },
  { quantity: 'voltage', path: ['voltage'] },
  { quantity: 'current', path: ['current'] },
  { quantity: 'energy', path: ['aenergy', 'total'], unit: 'Wh' },
  { quantity: 'device_temperature', path: ['temperature', 'tC'] }
]

// https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/<Component>#status
const COMPONENTS: Record<string, Read[]> = {
  switch: METERING,
  cover: METERING,
  light: METERING,
  pm1: METERING,
  em1: [{ quantity: 'power', path: ['act_power'] }, { quantity: 'voltage', path: ['voltage'] }, { quantity: 'current', path: ['current'] }],
  em1data: [{ quantity: 'energy', path: ['total_act_energy'], unit: 'Wh' }],
  em: [{ quantity: 'power', path: ['total_act_power'] }, { quantity: 'current', path: ['total_current'] }],
  emdata: [{ quantity: 'energy', path: ['total_act'], unit: 'Wh' }],
  temperature: [{ quantity: 'temperature', path: ['tC'] }],
  humidity: [{ quantity: 'humidity', path: ['rh'] }],
  devicepower: [{ quantity: 'battery', path: ['battery', 'percent'] }],
  illuminance: [{ quantity: 'illuminance', path: ['lux'] }],
  voltmeter: [{ quantity: 'voltage', path: ['voltage'] }],
  wifi: [{ quantity: 'rssi', path: ['rssi'] }]
}

const NOTIFY_STATUS = new Set(['NotifyStatus', 'NotifyFullStatus'])

export const shellyRules: FirmwareRules = {
  publish: (device) => [`${device.topic}/#`],
  // RPC requests arrive on `<prefix>/rpc`, the MQTT control interface on `<prefix>/command[/…]`.
  subscribe: (device) => [`${device.topic}/#`],
  decode (device, topic, payload) {
    const rest = under(device.topic, topic)
    if (rest === undefined) return null
    if (rest === 'online') return decodeOnline(payload.toString('utf8'))
    if (rest === 'events/rpc') return decodeNotification(payload)
    if (rest === 'debug/log') return nothing()
    const component = under('status', rest)
    if (component === undefined || component.includes('/')) return null
    const read = readObject(payload)
    if ('refusal' in read) return refused(read.refusal)
    return { candidates: componentCandidates(component, read.value), refusals: [] }
  }
}
export const shellyFormat = firmwareFormat(shellyRules)

function decodeOnline (text: string): DecodeResult {
  const value = text.trim()
  if (value === 'true') return { ...nothing(), status: 'online' }
  if (value === 'false') return { ...nothing(), status: 'offline' }
  return refused({ code: 'UNKNOWN_SHAPE', message: 'online must be "true" or "false"' })
}

/** `{"method":"NotifyStatus","params":{"ts":…,"switch:0":{…}}}`; NotifyEvent (button presses…) holds no reading. */
function decodeNotification (payload: Buffer): DecodeResult {
  const read = readObject(payload)
  if ('refusal' in read) return refused(read.refusal)
  const { method, params } = read.value
  if (typeof method !== 'string') return refused({ code: 'UNKNOWN_SHAPE', message: 'an RPC notification needs a method' })
  if (!NOTIFY_STATUS.has(method)) return nothing()
  if (!isPlainObject(params)) return refused({ code: 'UNKNOWN_SHAPE', message: `${method} needs params` })
  const candidates = Object.entries(params)
    .filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1]))
    .flatMap(([component, status]) => componentCandidates(component, status))
  return { candidates, refusals: [] }
}

/**
 * The readings in one component's status. Instance 0 (or a component without an id) keeps
 * the plain metric; others are suffixed with the component (`switch:1` → `power__switch_1`),
 * since a single-channel device only ever has instance 0.
 */
function componentCandidates (component: string, status: Record<string, unknown>): Candidate[] {
  const [type = '', id = '0'] = component.split(':')
  const label = id === '0' ? undefined : component
  const candidates: Candidate[] = []
  for (const { quantity, path, unit } of own(COMPONENTS, type) ?? []) {
    const value = dig(status, path)
    if (value === undefined || value === null) continue // absent from a partial notification, or not measured
    candidates.push({ metric: sensorMetric(quantity, label), value: convert(value, conversionFor(quantity, unit)!) })
  }
  return candidates
}
