import { nothing, refused } from './format.ts'
import { type FirmwareRules, firmwareFormat, under } from './firmware.ts'
import { readEntities } from './learned-state.ts'
import { decodeStatus } from './native.ts'
import { resolveSensor } from './quantities.ts'
import { convert } from './units.ts'

// ESPHome's MQTT client: one plain value per sensor on `<topic_prefix>/sensor/<object_id>/state`,
// birth and last will on `<topic_prefix>/status`. https://esphome.io/components/mqtt.html
// The object id names the sensor; its unit and device class come from the discovery config
// ESPHome publishes by default (`discovery: true`) when the hub has seen it, else the name's
// words decide and the value is taken to be in the canonical unit (ESPHome's defaults are).
// A failed read is published as `nan`: it reaches validation and is refused as NOT_FINITE.

export const esphomeRules: FirmwareRules = {
  publish: (device) => [`${device.topic}/#`],
  // Commands arrive under the same prefix (`<prefix>/switch/<id>/command`).
  subscribe: (device) => [`${device.topic}/#`],
  decode (device, topic, payload, discovery) {
    const rest = under(device.topic, topic)
    if (rest === undefined) return null
    if (rest === 'status') return decodeStatus(payload.toString('utf8'))
    if (rest === 'debug') return nothing() // the log, when `log_topic` is on
    const [component, objectId, ...tail] = rest.split('/')
    const sensorName = component === 'sensor' && tail.length === 1 && tail[0] === 'state' ? objectId : undefined
    // What ESPHome announced wins, including a sensor's custom `state_topic`.
    const announced = discovery.entitiesOn(device.id, topic)
    if (announced.length > 0) return readEntities(announced, payload, sensorName || undefined)
    if (objectId === undefined || objectId === '' || tail.length === 0) return null
    if (sensorName === undefined) return nothing() // switches, binary sensors, lights, text, commands: not readings
    const resolved = resolveSensor({ name: sensorName })
    if ('problem' in resolved) return refused({ code: 'UNKNOWN_SHAPE', message: `${sensorName}: ${resolved.problem}` })
    return { candidates: [{ metric: resolved.metric, value: convert(payload.toString('utf8'), resolved.conversion) }], refusals: [] }
  }
}
export const esphomeFormat = firmwareFormat(esphomeRules)
