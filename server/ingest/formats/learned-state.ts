import type { Candidate, Refusal } from '../validate.ts'
import { type DecodeResult, nothing, refused } from './format.ts'
import type { Entity } from './discovery-config.ts'
import type { LearnedDiscovery } from './discovery.ts'
import { dig, readAvailability, readJson } from './payload.ts'
import { NON_NUMERIC_CLASSES, resolveSensor } from './quantities.ts'
import { convert } from './units.ts'

// Publishes on topics a device announced through discovery: each sensor entity's value
// picked by its template, named by its device class, unit and name (quantities.ts).

/** Decodes a publish on a learned state or availability topic; null when nothing was announced there. */
export function decodeLearned (discovery: LearnedDiscovery, deviceId: string, topic: string, payload: Buffer): DecodeResult | null {
  const entities = discovery.entitiesOn(deviceId, topic)
  if (entities.length > 0) return readEntities(entities, payload)
  const availability = discovery.availabilityOn(deviceId, topic)
  if (availability === undefined) return null
  const status = readAvailability(payload, availability.online, availability.offline)
  return typeof status === 'string' ? { ...nothing(), status } : refused(status)
}

/**
 * Home Assistant's own rule: a sensor's state is a number when it has a (numeric) device
 * class, a unit or a state class; otherwise it is text (an IP address, a firmware version).
 */
function isNumericSensor ({ platform, deviceClass, unit, stateClass }: Entity): boolean {
  if (platform !== 'sensor') return false
  if (deviceClass !== undefined) return !NON_NUMERIC_CLASSES.has(deviceClass)
  return unit !== undefined || stateClass !== undefined
}

/**
 * Reads the values of the entities sharing one state topic. `name` overrides the entity's
 * own name as the source of the metric's label (ESPHome names its sensors in the topic).
 */
export function readEntities (entities: Entity[], payload: Buffer, name?: string): DecodeResult {
  const sensors = entities.filter(isNumericSensor)
  if (sensors.length === 0) return nothing() // a switch's or a binary sensor's state: not a reading
  const text = payload.toString('utf8')
  const candidates: Candidate[] = []
  const refusals: Refusal[] = []
  const missing: string[] = []
  let json: { value: unknown } | { refusal: Refusal } | undefined
  for (const entity of sensors) {
    if (entity.templateProblem !== undefined) {
      refusals.push({ code: 'UNKNOWN_SHAPE', message: `${entity.name}: ${entity.templateProblem}` })
      continue
    }
    let value: unknown = text
    if (entity.path.length > 0) {
      json ??= readJson(text)
      if ('refusal' in json) continue
      value = dig(json.value, entity.path)
      if (value === undefined || value === null) { // absent, or Home Assistant's "unknown"
        missing.push(`${entity.name} (value_json.${entity.path.join('.')})`)
        continue
      }
    }
    const resolved = resolveSensor({ name: name ?? entity.name, deviceClass: entity.deviceClass, unit: entity.unit })
    if ('problem' in resolved) refusals.push({ code: 'UNKNOWN_SHAPE', message: `${entity.name}: ${resolved.problem}` })
    else candidates.push({ metric: resolved.metric, value: convert(value, resolved.conversion) })
  }
  if (json !== undefined && 'refusal' in json) refusals.push(json.refusal)
  if (candidates.length === 0 && refusals.length === 0) {
    refusals.push({ code: 'EMPTY_PAYLOAD', message: `payload holds none of the announced values: ${missing.join(', ')}` })
  }
  return { candidates, refusals }
}
