import type { Refusal } from '../validate.ts'
import { type DecodeResult, nothing } from './format.ts'
import { type Availability, type Entity, parseConfig, parseDiscoveryTopic } from './discovery-config.ts'

// What each device has announced through Home Assistant discovery, shared by every format
// (Tasmota, ESPHome, Shelly scripts and Zigbee2MQTT all publish such configs). Kept per
// device id, never per topic: two devices announcing the same discovery topic don't see,
// replace or delete each other's entities. Lost on restart; devices announce again on
// connect, or when `homeassistant/status` says `online`.
//
// One LearnedDiscovery per hub (server/hub.ts makes it and hands it to the ingest pipeline):
// two hubs in one process share nothing a device announced
// (test/ingest/formats/discovery-per-hub.test.ts).

/** Enough for a Zigbee2MQTT bridge with ~50 sensors of 5 values; a device past it is refused, not trimmed. */
export const MAX_ENTITIES_PER_DEVICE = 256

export class LearnedDiscovery {
  /** device id → discovery topic → the entities that config announced. */
  private readonly learned = new Map<string, Map<string, Entity[]>>()

  /**
   * Learns (or, with an empty payload, forgets) the entities of one discovery config.
   * A config replaces everything its topic announced before. `owns` says whether the device
   * may publish a topic; an entity whose topics it may not use is refused, since its state
   * would be refused at every publish anyway.
   */
  learn (deviceId: string, topic: string, payload: Buffer, owns: (topic: string) => boolean): DecodeResult | null {
    const parts = parseDiscoveryTopic(topic)
    if (parts === undefined) return null
    const device = this.learned.get(deviceId) ?? new Map<string, Entity[]>()
    if (payload.length === 0) {
      device.delete(topic)
      this.keep(deviceId, device)
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
    this.keep(deviceId, device)
    return { candidates: [], refusals }
  }

  /** The entities whose state arrives on this topic. */
  entitiesOn (deviceId: string, stateTopic: string): Entity[] {
    return [...this.entitiesOf(deviceId)].filter((entity) => entity.stateTopic === stateTopic)
  }

  /** The availability settings announced for this topic, if any. */
  availabilityOn (deviceId: string, topic: string): Availability | undefined {
    for (const entity of this.entitiesOf(deviceId)) {
      const found = entity.availability.find((a) => a.topic === topic)
      if (found) return found
    }
    return undefined
  }

  /** The unit announced for one JSON key of a state topic (`{{ value_json.<key> }}`). */
  unitOf (deviceId: string, stateTopic: string, key: string): string | undefined {
    return this.entitiesOn(deviceId, stateTopic).find((e) => e.platform === 'sensor' && e.path.length === 1 && e.path[0] === key)?.unit
  }

  /** How many entities a device has announced (for tests and the admin view). */
  count (deviceId: string): number {
    return [...this.entitiesOf(deviceId)].length
  }

  /** Drops what a device announced: call when the device is deleted or its credentials revoked. */
  forget (deviceId: string): void {
    this.learned.delete(deviceId)
  }

  private keep (deviceId: string, device: Map<string, Entity[]>): void {
    if (device.size === 0) this.learned.delete(deviceId)
    else this.learned.set(deviceId, device)
  }

  private * entitiesOf (deviceId: string): Generator<Entity> {
    for (const list of this.learned.get(deviceId)?.values() ?? []) yield * list
  }
}

function allowed (entity: Entity, owns: (topic: string) => boolean, refusals: Refusal[]): boolean {
  const topics = [entity.stateTopic, ...entity.availability.map((a) => a.topic)].filter((t): t is string => t !== undefined)
  if (topics.length === 0) return false // a button or scene: nothing will ever arrive to read
  const foreign = topics.find((t) => !owns(t))
  if (foreign === undefined) return true
  refusals.push({ code: 'TOPIC_NOT_ALLOWED', message: `${entity.name}: this device may not publish to ${foreign}, so it cannot be its state or availability topic` })
  return false
}
