import type { Refusal } from '../validate.ts'
import { isPlainObject } from './native.ts'
import { own, readObject } from './payload.ts'

// Home Assistant MQTT discovery configs, read into the few facts Tsudoi needs: where an
// entity's state arrives, how to pick its value, what it measures and in which unit.
// https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery

export const DISCOVERY_PREFIX = 'homeassistant'
/** Home Assistant's birth/last-will topic: devices listen to it to re-announce themselves. */
export const DISCOVERY_STATUS_TOPIC = `${DISCOVERY_PREFIX}/status`
const MAX_TOPIC_LENGTH = 512
const MAX_AVAILABILITY = 4

export interface Availability { topic: string, online: string, offline: string }

export interface Entity {
  platform: string
  /** What the entity is called: its object id, name or device class, else its id in the topic. */
  name: string
  stateTopic?: string
  /** The value template as a path into the JSON state; [] is the raw payload (`{{ value }}`). */
  path: string[]
  /** Why the value template cannot be read; refused when a state arrives, not before. */
  templateProblem?: string
  deviceClass?: string
  unit?: string
  stateClass?: string
  availability: Availability[]
}

/** `homeassistant/<component>/[<node_id>/]<object_id>/config`; the device-based form has component `device`. */
export function parseDiscoveryTopic (topic: string): { component: string, objectId: string } | undefined {
  const levels = topic.split('/')
  if (levels[0] !== DISCOVERY_PREFIX || levels.at(-1) !== 'config') return undefined
  if (levels.length !== 4 && levels.length !== 5) return undefined
  return { component: levels[1]!, objectId: levels[levels.length - 2]! }
}

// The abbreviations Tsudoi reads (the full list is in the page above).
const ABBREVIATIONS: Record<string, string> = {
  stat_t: 'state_topic',
  unit_of_meas: 'unit_of_measurement',
  dev_cla: 'device_class',
  stat_cla: 'state_class',
  val_tpl: 'value_template',
  obj_id: 'object_id',
  avty: 'availability',
  avty_t: 'availability_topic',
  pl_avail: 'payload_available',
  pl_not_avail: 'payload_not_available',
  t: 'topic',
  p: 'platform',
  cmps: 'components',
  cmp: 'components'
}

/** Options a device-based config shares with each of its components (which may override them). */
const SHARED = ['~', 'state_topic', 'availability', 'availability_topic', 'payload_available', 'payload_not_available']

/** Full option names, and `~` at either end of a `…_topic` value replaced by the base topic. */
function expand (raw: Record<string, unknown>, inheritedBase?: string): Record<string, unknown> {
  // No prototype: a config's own key `__proto__` (JSON.parse makes it an own key) is an
  // unknown option like any other, not the prototype that every other option is read through.
  const config: Record<string, unknown> = Object.create(null)
  for (const [key, value] of Object.entries(raw)) config[own(ABBREVIATIONS, key) ?? key] = value
  const base = typeof config['~'] === 'string' ? config['~'] : inheritedBase
  if (base === undefined) return config
  for (const [key, value] of Object.entries(config)) {
    if ((key.endsWith('_topic') || key === 'topic') && typeof value === 'string') {
      // Replaced by functions: a base given as a string would have its `$'`, `$&`… patterns expanded.
      config[key] = value.replace(/^~/, () => base).replace(/~$/, () => base)
    }
  }
  return config
}

const RAW_VALUE = /^\{\{\s*value\s*\}\}$/
const JSON_PATH = /^\{\{\s*value_json((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}$/

/** Only `{{ value }}` and `{{ value_json.a[.b…] }}`: Tsudoi does not run Jinja. */
function readTemplate (template: unknown): { path: string[] } | { problem: string } {
  if (template === undefined) return { path: [] }
  if (typeof template !== 'string') return { problem: 'value_template is not a string' }
  if (RAW_VALUE.test(template.trim())) return { path: [] }
  const match = JSON_PATH.exec(template.trim())
  if (match?.[1] !== undefined) return { path: match[1].slice(1).split('.') }
  return { problem: `value_template ${JSON.stringify(template.slice(0, 80))} is not supported; use {{ value }} or {{ value_json.a.b }}` }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined)

function availabilityOf (config: Record<string, unknown>): Availability[] {
  const online = text(config.payload_available) ?? 'online'
  const offline = text(config.payload_not_available) ?? 'offline'
  const found: Availability[] = []
  const single = text(config.availability_topic)
  if (single !== undefined) found.push({ topic: single, online, offline })
  if (Array.isArray(config.availability)) {
    for (const entry of config.availability) {
      if (!isPlainObject(entry)) continue
      const item = expand(entry, text(config['~']))
      const topic = text(item.topic)
      if (topic !== undefined) found.push({ topic, online: text(item.payload_available) ?? online, offline: text(item.payload_not_available) ?? offline })
    }
  }
  return found.slice(0, MAX_AVAILABILITY)
}

function entityFrom (config: Record<string, unknown>, platform: string, fallbackName: string, refusals: Refusal[]): Entity | undefined {
  // Home Assistant names an unnamed entity after its device class ("Temperature"), so do we.
  const name = text(config.object_id) ?? text(config.name) ?? text(config.device_class) ?? fallbackName
  const stateTopic = text(config.state_topic)
  const availability = availabilityOf(config)
  const topics = [stateTopic, ...availability.map((a) => a.topic)]
  if (topics.some((topic) => topic !== undefined && (topic.length > MAX_TOPIC_LENGTH || /[#+]/.test(topic)))) {
    refusals.push({ code: 'UNKNOWN_SHAPE', message: `${name}: a topic is longer than ${MAX_TOPIC_LENGTH} characters or holds a wildcard` })
    return undefined
  }
  if (platform === 'sensor' && stateTopic === undefined) {
    refusals.push({ code: 'UNKNOWN_SHAPE', message: `sensor ${name} has no state_topic` })
    return undefined
  }
  const template = readTemplate(config.value_template)
  const entity: Entity = { platform, name: name.slice(0, 128), path: 'path' in template ? template.path : [], availability }
  if (stateTopic !== undefined) entity.stateTopic = stateTopic
  if ('problem' in template) entity.templateProblem = template.problem
  const deviceClass = text(config.device_class)
  if (deviceClass !== undefined) entity.deviceClass = deviceClass
  const unit = text(config.unit_of_measurement)
  if (unit !== undefined) entity.unit = unit
  const stateClass = text(config.state_class)
  if (stateClass !== undefined) entity.stateClass = stateClass
  return entity
}

/**
 * The entities a config announces, one for the single-component form, one per component
 * for the device-based form (`cmps`, Home Assistant 2024.11+). A component given with only
 * its platform is being removed, and so is left out.
 */
export function parseConfig (component: string, objectId: string, payload: Buffer): { entities: Entity[], refusals: Refusal[] } {
  const read = readObject(payload, 'discovery config')
  if ('refusal' in read) return { entities: [], refusals: [read.refusal] }
  const root = expand(read.value)
  const refusals: Refusal[] = []
  if (component !== 'device') {
    const entity = entityFrom(root, component, objectId, refusals)
    return { entities: entity ? [entity] : [], refusals }
  }
  if (!isPlainObject(root.components)) {
    return { entities: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'a device discovery config needs its components (cmps)' }] }
  }
  const shared = Object.fromEntries(SHARED.filter((key) => key in root).map((key) => [key, root[key]]))
  const entities: Entity[] = []
  for (const [id, raw] of Object.entries(root.components)) {
    if (!isPlainObject(raw)) continue
    const own = expand(raw, text(root['~']))
    const platform = text(own.platform)
    if (platform === undefined) {
      refusals.push({ code: 'UNKNOWN_SHAPE', message: `component ${id} has no platform (p)` })
      continue
    }
    if (Object.keys(own).length === 1) continue
    const entity = entityFrom({ ...shared, ...own }, platform, id, refusals)
    if (entity) entities.push(entity)
  }
  return { entities, refusals }
}
