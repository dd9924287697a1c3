import type { Refusal } from '../validate.ts'
import { type DecodeResult, nothing } from './format.ts'
import { type Availability, type Entity, parseConfig, parseDiscoveryTopic } from './discovery-config.ts'

// What each device has announced through Home Assistant discovery, shared by every format
// (Tasmota, ESPHome, Shelly scripts and Zigbee2MQTT all publish such configs). Kept per
// device id, never per topic: two devices announcing the same discovery topic don't see,
// replace or delete each other's entities. Lost on restart; devices announce again on
// connect, or when `homeassistant/status` says `online`.

/** Enough for a Zigbee2MQTT bridge with ~50 sensors of 5 values; a device past it is refused, not trimmed. */
export const MAX_ENTITIES_PER_DEVICE = 256

/** device id → discovery topic → the entities that config announced. */
const learned = new Map<string, Map<string, Entity[]>>()

/**
 * Learns (or, with an empty payload, forgets) the entities of one discovery config.
 * A config replaces everything its topic announced before. `owns` says whether the device
 * may publish a topic; an entity whose topics it may not use is refused, since its state
 * would be refused at every publish anyway.
 */
export function learnDiscovery (deviceId: string, topic: string, payload: Buffer, owns: (topic: string) => boolean): DecodeResult | null {
  const parts = parseDiscoveryTopic(topic)
  if (parts === undefined) return null
  const device = learned.get(deviceId) ?? new Map<string, Entity[]>()
  if (payload.length === 0) {
    device.delete(topic)
    store(deviceId, device)
    return nothing()
  }
  const { entities, refusals } = parseConfig(parts.component, parts.objectId, payload)
  const kept = entities.filter((entity) => allowed(entity, owns, refusals))
  const others = [...device.entries()].filter(([key]) => key !== topic).reduce((sum, [, list]) => sum + list.length, 0)
  if (others + kept.length > MAX_ENTITIES_PER_DEVICE) {
    return { candidates: [], refusals: [...refusals, { code: 'UNKNOWN_SHAPE', message: `discovery config not learned: a device may announce at most ${MAX_ENTITIES_PER_DEVICE} entities` }] }
  }
  if (kept.length === 0) device.delete(topic)
  else device.set(topic, kept)
  store(deviceId, device)
  return { candidates: [], refusals }
}

function allowed (entity: Entity, owns: (topic: string) => boolean, refusals: Refusal[]): boolean {
  const topics = [entity.stateTopic, ...entity.availability.map((a) => a.topic)].filter((t): t is string => t !== undefined)
  if (topics.length === 0) return false // a button or scene: nothing will ever arrive to read
  const foreign = topics.find((t) => !owns(t))
  if (foreign === undefined) return true
  refusals.push({ code: 'TOPIC_NOT_ALLOWED', message: `${entity.name}: this device may not publish to ${foreign}, so it cannot be its state or availability topic` })
  return false
}

function store (deviceId: string, device: Map<string, Entity[]>): void {
  if (device.size === 0) learned.delete(deviceId)
  else learned.set(deviceId, device)
}

function * entitiesOf (deviceId: string): Generator<Entity> {
  for (const list of learned.get(deviceId)?.values() ?? []) yield * list
}

/** The entities whose state arrives on this topic. */
export function entitiesOn (deviceId: string, stateTopic: string): Entity[] {
  return [...entitiesOf(deviceId)].filter((entity) => entity.stateTopic === stateTopic)
}

/** The availability settings announced for this topic, if any. */
export function availabilityOn (deviceId: string, topic: string): Availability | undefined {
  for (const entity of entitiesOf(deviceId)) {
    const found = entity.availability.find((a) => a.topic === topic)
    if (found) return found
  }
  return undefined
}

/** The unit announced for one JSON key of a state topic (`{{ value_json.<key> }}`). */
export function learnedUnit (deviceId: string, stateTopic: string, key: string): string | undefined {
  return entitiesOn(deviceId, stateTopic).find((e) => e.platform === 'sensor' && e.path.length === 1 && e.path[0] === key)?.unit
}

/** How many entities a device has announced (for tests and the admin view). */
export const learnedCount = (deviceId: string): number => [...entitiesOf(deviceId)].length

/** Drops what a device announced: call when the device is deleted. */
export function forgetDevice (deviceId: string): void {
  learned.delete(deviceId)
}
