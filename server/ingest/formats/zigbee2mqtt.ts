import type { Candidate, Refusal } from '../validate.ts'
import { type DecodeResult, nothing, refused } from './format.ts'
import type { DeviceIdentity } from '../../domain/identity.ts'
import type { LearnedDiscovery } from './discovery.ts'
import { firmwareFormat, under } from './firmware.ts'
import { own, readAvailability, readObject } from './payload.ts'
import { sensorMetric } from './sensor-metric.ts'
import { conversionFor, convert } from './units.ts'

// Zigbee2MQTT: the Tsudoi device is the bridge, its `topic` the bridge's base_topic
// (`zigbee2mqtt` by default). https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html
// - `<base>/<friendly name>`: the JSON state of one Zigbee device (names may contain `/`);
// - `<base>/<friendly name>/availability`: that Zigbee device's availability;
// - `<base>/bridge/state`: the bridge's own, which is the Tsudoi device's status.
// Only the default `output: json` is read; with `output: attribute` the values arrive on
// `<name>/<attribute>` topics that cannot be told apart from friendly names containing `/`.
// A bridge has no sensor of its own, so every reading carries its Zigbee device's friendly
// name as suffix: `temperature__living_room`.

interface Field { quantity: string, unit: string }

// Keys Zigbee2MQTT exposes, with their units (https://www.zigbee2mqtt.io/guide/usage/exposes.html).
// linkquality, state, contact, occupancy, action… are not readings Tsudoi compares.
const FIELDS: Record<string, Field> = {
  temperature: { quantity: 'temperature', unit: '°C' },
  device_temperature: { quantity: 'device_temperature', unit: '°C' },
  humidity: { quantity: 'humidity', unit: '%' },
  pressure: { quantity: 'pressure', unit: 'hPa' },
  co2: { quantity: 'co2', unit: 'ppm' },
  pm25: { quantity: 'pm25', unit: 'µg/m³' },
  soil_moisture: { quantity: 'soil_moisture', unit: '%' },
  illuminance: { quantity: 'illuminance', unit: 'lx' },
  illuminance_lux: { quantity: 'illuminance', unit: 'lx' },
  battery: { quantity: 'battery', unit: '%' },
  voltage: { quantity: 'voltage', unit: 'mV' },
  power: { quantity: 'power', unit: 'W' },
  energy: { quantity: 'energy', unit: 'kWh' },
  current: { quantity: 'current', unit: 'A' }
}

/** Topics other clients publish to the bridge (`<name>/set`, `<name>/get/state`): not readings. */
const COMMANDS = new Set(['set', 'get'])

export const zigbee2mqttFormat = firmwareFormat({
  publish: (device) => [`${device.topic}/#`],
  // The bridge subscribes to its whole base topic for `/set`, `/get` and `bridge/request/…`.
  subscribe: (device) => [`${device.topic}/#`],
  decode (device, topic, payload, discovery) {
    const rest = under(device.topic, topic)
    if (rest === undefined) return null
    if (rest === 'bridge/state') return availability(payload, true)
    if (rest.startsWith('bridge/')) return nothing() // info, devices, logging, events, responses
    const levels = rest.split('/')
    if (levels.at(-1) === 'availability' && levels.length > 1) return availability(payload, false)
    if (levels.slice(1).some((level) => COMMANDS.has(level))) return nothing()
    return decodeState(discovery, device, topic, rest, payload)
  }
})

/**
 * The bridge's state is the device's status. A Zigbee device's availability is only checked:
 * one sensor going offline doesn't take the bridge down, but its coming online proves the bridge is up.
 */
function availability (payload: Buffer, bridge: boolean): DecodeResult {
  const status = readAvailability(payload)
  if (typeof status !== 'string') return refused(status)
  return bridge || status === 'online' ? { ...nothing(), status } : nothing()
}

function decodeState (discovery: LearnedDiscovery, device: DeviceIdentity, topic: string, name: string, payload: Buffer): DecodeResult {
  // Zigbee2MQTT clears a removed device's retained state with an empty payload.
  if (payload.length === 0) return nothing()
  const read = readObject(payload, `state of ${name}`)
  if ('refusal' in read) return refused(read.refusal)
  const state = read.value
  const candidates: Candidate[] = []
  const refusals: Refusal[] = []
  for (const [key, value] of Object.entries(state)) {
    const field = own(FIELDS, key)
    if (field === undefined || value === null) continue
    // Before Zigbee2MQTT 2.0 `illuminance` was a raw value and `illuminance_lux` the lux.
    if (key === 'illuminance' && state.illuminance_lux !== undefined) continue
    const unit = discovery.unitOf(device.id, topic, key) ?? defaultUnit(key, field, state)
    const conversion = conversionFor(field.quantity, unit)
    if (conversion === undefined) {
      refusals.push({ code: 'UNKNOWN_SHAPE', message: `${name}: unit ${JSON.stringify(unit)} of ${key} cannot be converted to ${field.quantity}` })
      continue
    }
    candidates.push({ metric: sensorMetric(field.quantity, name), value: convert(value, conversion) })
  }
  return { candidates, refusals }
}

/**
 * `voltage` is a battery's in mV on sensors (Aqara: 3005) but the mains' in V on metering
 * plugs; a plug is recognised by also reporting power or current. A unit announced in the
 * bridge's Home Assistant discovery, when there is one, wins over this guess.
 */
function defaultUnit (key: string, field: Field, state: Record<string, unknown>): string {
  if (key === 'voltage' && (state.power !== undefined || state.current !== undefined)) return 'V'
  return field.unit
}
