import type { Refusal } from '../validate.ts'
import { type DecodeResult, nothing, refused } from './format.ts'
import type { DeviceIdentity } from '../../domain/identity.ts'
import { type FirmwareRules, firmwareFormat, under } from './firmware.ts'
import { decodeStatus, isPlainObject } from './native.ts'
import { own, readObject } from './payload.ts'
import { type SensorValue, keepApart } from './sensor-metric.ts'
import { conversionFor, convert } from './units.ts'

// Tasmota: telemetry on `tele/<topic>/SENSOR`, state on `…/STATE`, last will on `…/LWT`,
// command replies on `stat/<topic>/…`. https://tasmota.github.io/docs/MQTT/
// Both FullTopic orders are accepted: `%prefix%/%topic%/` (the default) and `%topic%/%prefix%/`.
// Tasmota's `Time` has no zone and a one-second resolution, so it is never used as the
// reading's time: the hub's receive time is (Tasmota publishes live, it keeps no backlog).

/** tele/ leaves that carry no reading: device info, command results, HA state, alarms. */
const QUIET_TELE = new Set(['INFO1', 'INFO2', 'INFO3', 'RESULT', 'HASS_STATE', 'MARGINS', 'UPTIME', 'WAKEUP'])
/** `Status 10` (and `Status 8` before Tasmota 8) answer with the same sensors under `StatusSNS`. */
const SENSOR_STATUS = new Set(['STATUS10', 'STATUS8'])

interface Field { quantity: string, unit?: 'temperature' | 'pressure' }

// Sensor object keys → quantities. Derived values (DewPoint, SeaPressure) and ENERGY's
// day counters (Today, Yesterday: they reset at midnight, `Total` already counts) are left out.
const FIELDS: Record<string, Field> = {
  Temperature: { quantity: 'temperature', unit: 'temperature' },
  Humidity: { quantity: 'humidity' },
  Pressure: { quantity: 'pressure', unit: 'pressure' },
  CarbonDioxide: { quantity: 'co2' },
  Illuminance: { quantity: 'illuminance' },
  'PM2.5': { quantity: 'pm25' },
  Power: { quantity: 'power' },
  Voltage: { quantity: 'voltage' },
  Current: { quantity: 'current' }
}
/** `Total` means kWh only in ENERGY; elsewhere (counters, gas meters) it is something else. */
const ENERGY_FIELDS: Record<string, Field> = { ...FIELDS, Total: { quantity: 'energy' } }

/**
 * Channels of one meter field (`"Power":[52,5]`): real meters have a few (Tasmota's energy
 * driver handles up to 8 phases). Past this the array is not a meter's, and each element
 * would become a metric of its own (test/security/cases/payload-firmware.ts, tasmota-14).
 */
const MAX_CHANNELS = 16

/** Tasmota's choices: hPa, or mmHg (SetOption24), or inHg (SetOption24 + SetOption139). */
const TASMOTA_PRESSURE_UNITS = new Set(['hPa', 'mmHg', 'inHg'])

/** The chip's own temperature (ESP32 die, BL09xx metering chip): not the room's. */
const INTERNAL = new Set(['ESP32', 'BL09XX'])
/**
 * `Global`: Tasmota's copy of the first sensor's values (for its thermostat), already counted.
 * `ZbReceived`: Tasmota's Zigbee gateway, one Zigbee device per message; read as if it were
 * the Tasmota's own sensor, two Zigbee thermometers would share `temperature`. Not supported.
 */
const SKIPPED = new Set(['Global', 'ZbReceived'])

/** The leaf of a telemetry (`tele`) or reply (`stat`) topic of this device, in either FullTopic order. */
function leafOf (device: DeviceIdentity, prefix: 'tele' | 'stat', topic: string): string | undefined {
  const leaf = under(`${prefix}/${device.topic}`, topic) ?? under(`${device.topic}/${prefix}`, topic)
  return leaf !== undefined && !leaf.includes('/') ? leaf : undefined
}

export const tasmotaRules: FirmwareRules = {
  publish: (device) => ['tele', 'stat'].flatMap((prefix) => [`${prefix}/${device.topic}/#`, `${device.topic}/${prefix}/#`]),
  subscribe: (device) => [`cmnd/${device.topic}/#`, `${device.topic}/cmnd/#`],
  decode (device, topic, payload) {
    const tele = leafOf(device, 'tele', topic)
    if (tele === 'SENSOR') return decodeSensorPayload(payload, (body) => body)
    if (tele === 'STATE') return decodeState(payload)
    if (tele === 'LWT') return decodeStatus(payload.toString('utf8'))
    if (tele !== undefined) return QUIET_TELE.has(tele) ? nothing() : null
    const stat = leafOf(device, 'stat', topic)
    if (stat === undefined) return null
    if (SENSOR_STATUS.has(stat)) return decodeSensorPayload(payload, (body) => body.StatusSNS)
    return nothing() // POWER, RESULT, STATUS…: replies to commands, no readings
  }
}
export const tasmotaFormat = firmwareFormat(tasmotaRules)

function decodeSensorPayload (payload: Buffer, pick: (body: Record<string, unknown>) => unknown): DecodeResult {
  const read = readObject(payload)
  if ('refusal' in read) return refused(read.refusal)
  const body = pick(read.value)
  if (!isPlainObject(body)) return refused({ code: 'UNKNOWN_SHAPE', message: 'StatusSNS is not an object' })
  return decodeSensors(body)
}

/** A SENSOR message: one object per sensor (`AM2301`, `DS18B20-2`, `ENERGY`, …) plus its units. */
export function decodeSensors (body: Record<string, unknown>): DecodeResult {
  const refusals: Refusal[] = []
  const temperatureUnit = body.TempUnit ?? 'C'
  const pressureUnit = body.PressureUnit ?? 'hPa'
  const units = {
    temperature: temperatureUnit === 'C' || temperatureUnit === 'F' ? conversionFor('temperature', temperatureUnit) : undefined,
    pressure: TASMOTA_PRESSURE_UNITS.has(String(pressureUnit)) ? conversionFor('pressure', String(pressureUnit)) : undefined
  }
  if (units.temperature === undefined) refusals.push({ code: 'UNKNOWN_SHAPE', message: `TempUnit ${JSON.stringify(body.TempUnit)} is neither C nor F` })
  if (units.pressure === undefined) refusals.push({ code: 'UNKNOWN_SHAPE', message: `PressureUnit ${JSON.stringify(body.PressureUnit)} is none of hPa, mmHg, inHg` })

  const values: SensorValue[] = []
  for (const [sensor, fields] of sensorsIn(body)) {
    const table = sensor === 'ENERGY' ? ENERGY_FIELDS : FIELDS
    for (const [name, raw] of Object.entries(fields)) {
      const field = own(table, name)
      if (field === undefined) continue
      const conversion = field.unit === undefined ? conversionFor(field.quantity, undefined) : units[field.unit]
      if (conversion === undefined) continue // refused once above
      const quantity = INTERNAL.has(sensor.toUpperCase()) && field.quantity === 'temperature' ? 'device_temperature' : field.quantity
      // Multi-channel meters (Shelly 2.5, Sonoff Dual R3) send arrays: one value per channel.
      const channels = Array.isArray(raw) ? raw : [raw]
      if (channels.length > MAX_CHANNELS) {
        refusals.push({ code: 'UNKNOWN_SHAPE', message: `${sensor}.${name} has ${channels.length} channels; a meter has at most ${MAX_CHANNELS}` })
        continue
      }
      channels.forEach((value, index) => {
        const label = Array.isArray(raw) ? `${sensor}-${index + 1}` : sensor
        values.push({ quantity, sensor: label, value: convert(value, conversion) })
      })
    }
  }
  // Sensor objects without a field Tsudoi reads (an RFID reader's UID, a switch's state)
  // are valid Tasmota messages, not mistakes: they are passed over, not refused.
  return { candidates: keepApart(values), refusals }
}

/**
 * The sensor objects of a message, and those nested one level inside them: some drivers
 * put a chip inside another's object (`"ENERGY":{…,"BL09XX":{"Temperature":46.5}}`,
 * `"ANALOG":{"CTEnergy1":{…}}`).
 */
function sensorsIn (body: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const top = Object.entries(body).filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1]) && !SKIPPED.has(entry[0]))
  const nested = top.flatMap(([, fields]) => Object.entries(fields).filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1])))
  return [...top, ...nested]
}

/**
 * STATE: only the Wi-Fi signal is a reading. `Wifi.Signal` is in dBm (→ `rssi`); `Wifi.RSSI`
 * is a 0–100 % quality, not dBm, so it is not used. Older firmware without `Signal` gives nothing.
 */
function decodeState (payload: Buffer): DecodeResult {
  const read = readObject(payload)
  if ('refusal' in read) return refused(read.refusal)
  const wifi = read.value.Wifi
  if (!isPlainObject(wifi) || wifi.Signal === undefined) return nothing()
  return { candidates: [{ metric: 'rssi', value: wifi.Signal }], refusals: [] }
}
