import { matcherFor } from '../../domain/topic-filter.ts'
import { esphomeRules } from './esphome.ts'
import { type FirmwareRules, firmwareFormat } from './firmware.ts'
import { shellyRules } from './shelly.ts'
import { tasmotaRules } from './tasmota.ts'

// `auto`: whichever of Tasmota, ESPHome or Shelly Gen2 the device turns out to run, under
// its one topic name. A workshop attendee gets set-up for all three before anyone knows
// which board they brought. Their topics do not collide: Tasmota's sit under tele/ and stat/,
// Shelly answers only status/<component>, events/rpc and online, ESPHome the rest (Shelly
// first, so ESPHome's catch-all never sees Shelly's topics). Zigbee2MQTT is left out: a
// bridge's friendly names could be any topic under its base.
const candidates: FirmwareRules[] = [tasmotaRules, shellyRules, esphomeRules]

export const autoRules: FirmwareRules = {
  publish: (device) => [...new Set(candidates.flatMap((rules) => rules.publish(device)))],
  subscribe: (device) => [...new Set(candidates.flatMap((rules) => rules.subscribe(device)))],
  decode (device, topic, payload, discovery) {
    for (const rules of candidates) {
      if (!matcherFor(rules, device, () => rules.publish(device))(topic)) continue
      const decoded = rules.decode(device, topic, payload, discovery)
      if (decoded !== null) return decoded
    }
    return null
  }
}

export const autoFormat = firmwareFormat(autoRules)
