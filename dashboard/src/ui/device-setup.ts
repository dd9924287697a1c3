import { formatName, t } from '../i18n/index.ts'
import { arduinoSketch, type MqttSettings, mosquittoPub } from '../pages/snippets.ts'
import { copyBlock, copyValue } from './copy.ts'
import { h } from './dom.ts'

export interface SetupInfo extends MqttSettings {
  format: string
  wsUrl?: string
  /** The real token is shown (just created); otherwise a placeholder stands in. */
  tokenKnown: boolean
  /** Host and port come from the hub (device creation), not a guess. */
  endpointKnown: boolean
}

/** A device's MQTT settings as a table, plus copyable examples filled in with them. */
export function deviceSetup (info: SetupInfo): HTMLElement {
  const rows: Array<[string, Node | string]> = [
    [t('devices.host'), copyValue(info.host)],
    [t('devices.port'), String(info.port)],
    [t('devices.username'), copyValue(info.username)],
    [t('devices.clientId'), copyValue(info.username)],
    [t('devices.password'), info.tokenKnown ? copyValue(info.password) : info.password],
    [t('devices.publishTopic'), copyValue(info.topic)],
    [t('devices.format'), formatName(info.format)]
  ]
  if (info.wsUrl !== undefined) rows.push([t('devices.wsUrl'), copyValue(info.wsUrl)])
  const native = info.format === 'json' || info.format === 'plain'
  return h('div', { class: 'device-setup' },
    h('h4', null, t('devices.settings')),
    h('dl', { class: 'settings' }, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)])),
    info.endpointKnown ? null : h('p', { class: 'hint' }, t('devices.portDefault')),
    info.tokenKnown ? null : h('p', { class: 'hint' }, t('devices.tokenHidden')),
    // The examples publish the native JSON telemetry; firmware formats bring their own client.
    native ? copyBlock(t('devices.exampleCli'), mosquittoPub(info), 'cli') : null,
    native ? copyBlock(t('devices.exampleSketch'), arduinoSketch(info, { wifi: t('sketch.wifi'), publish: t('sketch.publish'), will: t('sketch.will') }), 'sketch') : null)
}
