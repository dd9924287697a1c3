import type { DeviceFormat } from '../../registry/device-formats.ts'
import type { PayloadFormat } from './format.ts'
import { nativeFormat } from './native.ts'

// One table from a device's `format` to its decoder (STYLE.md: a variant is a file in a table).
// `json` and `plain` are both Tsudoi's native topics: a device may send either shape.
// Firmware formats not yet implemented fall back to the native grammar.
export const formats: Record<DeviceFormat, PayloadFormat> = {
  json: nativeFormat,
  plain: nativeFormat,
  tasmota: nativeFormat,
  esphome: nativeFormat,
  shelly: nativeFormat,
  zigbee2mqtt: nativeFormat,
  homeassistant: nativeFormat
}
