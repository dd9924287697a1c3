import type { DeviceFormat } from '../../domain/device-formats.ts'
import { autoFormat } from './auto.ts'
import type { PayloadFormat } from './format.ts'
import { esphomeFormat } from './esphome.ts'
import { homeassistantFormat } from './homeassistant.ts'
import { nativeFormat } from './native.ts'
import { shellyFormat } from './shelly.ts'
import { tasmotaFormat } from './tasmota.ts'
import { zigbee2mqttFormat } from './zigbee2mqtt.ts'

// One table from a device's `format` to its decoder (docs/architecture.md: a variant is a file in a table).
// `json` and `plain` are both Tsudoi's native topics: a device may send either shape. Every
// firmware format also accepts the native topics and Home Assistant discovery (firmware.ts).
// `auto` accepts Tasmota, ESPHome and Shelly alike (auto.ts): what a workshop device gets.
//
// Several sensors of one kind on one device — the naming rule (sensor-metric.ts, one helper):
//
//   <canonical>                a device's only sensor of that kind: `temperature`
//   <canonical>__<label>       one of several: `temperature__ds18b20_2`, `power__switch_1`
//
// The label is the sensor's own name as the firmware gives it, slugged to [a-z0-9_]
// (a 6-hex digest when nothing Latin is left, or when the name must be shortened to stay
// within 64 characters). `__` never occurs in a canonical name nor in a slug, so the text
// before the first `__` is always the canonical metric: its unit, range and counter kind
// (see canonicalOf). Which sensors get a label:
//   tasmota      only when one SENSOR message holds the kind from several sensor objects;
//                then each gets its key: DS18B20-1 → temperature__ds18b20_1, SI7021 → temperature__si7021
//                (channels of an array, "Power":[52,5], are ENERGY-1, ENERGY-2)
//   shelly       component instances other than 0: switch:1 → power__switch_1
//   esphome      the object id without the words naming the quantity:
//   homeassistant  outdoor_temperature → temperature__outdoor; temperature → temperature
//   zigbee2mqtt  always the friendly name (a bridge has no sensor of its own):
//                living_room → temperature__living_room
export const formats: Record<DeviceFormat, PayloadFormat> = {
  json: nativeFormat,
  plain: nativeFormat,
  tasmota: tasmotaFormat,
  esphome: esphomeFormat,
  shelly: shellyFormat,
  zigbee2mqtt: zigbee2mqttFormat,
  homeassistant: homeassistantFormat,
  auto: autoFormat
}
