import type { DeviceCredentials, SetupBlocks } from '../api/schemas.ts'
import { formatName, t } from '../i18n/index.ts'
import { arduinoSketch, type MqttSettings, mosquittoPub } from '../pages/snippets.ts'
import { copyBlock, copyValue } from './copy.ts'
import { h } from './dom.ts'
import { tabs } from './tabs.ts'

/** The firmware the hub writes set-up for (server/http/device-setup.ts), in the order offered. */
export const firmwares = ['tasmota', 'esphome', 'shelly', 'zigbee2mqtt', 'arduino', 'mosquittoPub'] as const
export type Firmware = typeof firmwares[number]

// Which set-up fits a device of each format: native devices publish Tsudoi JSON (a sketch or
// the command line); a firmware format gets its own block, and mosquitto_pub for a first test
// (every format also accepts the native topics, server/ingest/formats/index.ts).
const FOR_FORMAT: Record<string, readonly Firmware[]> = {
  json: ['arduino', 'mosquittoPub'],
  plain: ['arduino', 'mosquittoPub'],
  tasmota: ['tasmota', 'mosquittoPub'],
  esphome: ['esphome', 'mosquittoPub'],
  shelly: ['shelly', 'mosquittoPub'],
  zigbee2mqtt: ['zigbee2mqtt', 'mosquittoPub'],
  // `auto` (what a workshop join makes) accepts Tasmota, ESPHome and Shelly alike.
  auto: ['tasmota', 'esphome', 'shelly', 'arduino', 'mosquittoPub']
}
export const firmwaresFor = (format: string): readonly Firmware[] => FOR_FORMAT[format] ?? ['mosquittoPub']

const BLOCK_CLASS: Record<Firmware, string> = { tasmota: 'tasmota', esphome: 'esphome', shelly: 'shelly', zigbee2mqtt: 'zigbee2mqtt', arduino: 'sketch', mosquittoPub: 'cli' }

export interface SetupInfo extends MqttSettings {
  format: string
  wsUrl: string
  /** The hub's set-up, sent once with a new device's token. Without it the token is unknown and a placeholder stands in. */
  setup?: SetupBlocks
  /** Which firmware to offer; by default what fits the device's format. */
  offer?: readonly Firmware[]
}

/** The settings of a device just created: everything, the token and the hub's set-up included, comes from the hub's answer. */
export const createdSetup = (device: DeviceCredentials, offer?: readonly Firmware[]): SetupInfo => ({
  host: device.mqtt.host,
  port: device.mqtt.port,
  wsUrl: device.mqtt.wsUrl,
  username: device.mqtt.username,
  password: device.mqtt.password,
  topic: device.mqtt.topic,
  format: device.format,
  setup: device.setup,
  offer
})

/** A device's MQTT settings as a list, and copy-paste set-up per firmware in tabs. */
export function deviceSetup (info: SetupInfo): HTMLElement {
  const tokenKnown = info.setup !== undefined
  const rows: Array<[string, Node | string]> = [
    [t('devices.host'), copyValue(info.host)],
    [t('devices.port'), String(info.port)],
    [t('devices.username'), copyValue(info.username)],
    [t('devices.clientId'), copyValue(info.username)],
    [t('devices.password'), tokenKnown ? copyValue(info.password) : info.password],
    [t('devices.publishTopic'), copyValue(info.topic)],
    [t('devices.format'), formatName(info.format)],
    [t('devices.wsUrl'), copyValue(info.wsUrl)]
  ]
  const offer = info.offer ?? firmwaresFor(info.format)
  // The ready-made set-up first (what most attendees paste); the raw settings for anything else.
  return h('div', { class: 'device-setup' },
    tokenKnown ? null : h('p', { class: 'hint' }, t('devices.tokenHidden')),
    setupTabs(info.setup ?? placeholderSetup(info), offer),
    h('h4', null, t('devices.settings')),
    h('dl', { class: 'settings' }, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)])))
}

/**
 * One source of truth: the set-up text is the hub's. Only for a device whose token is no
 * longer known does the dashboard write its own native examples, with a placeholder token.
 */
function placeholderSetup (s: MqttSettings): Partial<Record<Firmware, string>> {
  return {
    mosquittoPub: mosquittoPub(s),
    arduino: arduinoSketch(s, { wifi: t('sketch.wifi'), publish: t('sketch.publish'), will: t('sketch.will') })
  }
}

function setupTabs (texts: Partial<Record<Firmware, string>>, offer: readonly Firmware[]): HTMLElement | null {
  const shown = offer.filter((key) => texts[key] !== undefined)
  if (shown.length === 0) return null
  return h('section', { class: 'setups' },
    h('h4', null, t('setup.title')),
    tabs(t('setup.title'), shown.map((key) => ({
      id: key,
      label: t(`setup.tab.${key}`),
      panel: h('div', null, h('p', { class: 'hint' }, t(`setup.hint.${key}`)), copyBlock(t(`setup.block.${key}`), texts[key]!, BLOCK_CLASS[key]))
    }))))
}
