import { SHARED_ROOTS } from '../../domain/topic-trees.ts'
import { NATIVE_ROOT } from '../../domain/native-topics.ts'
import { matcherFor } from '../../domain/topic-filter.ts'
import type { DecodeResult, PayloadFormat } from './format.ts'
import type { DeviceIdentity } from '../../domain/identity.ts'
import { DISCOVERY_PREFIX, DISCOVERY_STATUS_TOPIC, parseDiscoveryTopic } from './discovery-config.ts'
import type { LearnedDiscovery } from './discovery.ts'
import { decodeLearned } from './learned-state.ts'
import { nativeFormat } from './native.ts'

// What every firmware format has in common, so that each format file only says what its
// firmware does:
// - Tsudoi's native topics always work (a device can fall back to them at any time);
// - Home Assistant discovery configs are learned, and states on announced topics read;
// - the topics a device may use are built from its login (`device.topic`), never taken
//   from a payload. Discovery lives in one shared `homeassistant/` namespace, which every
//   device may write to but none may subscribe to, except for Home Assistant's status.

export interface FirmwareRules {
  /** Publish filters of the firmware's own topics, built from `device.topic`. */
  publish (device: DeviceIdentity): string[]
  /** Filters the firmware subscribes to for commands. */
  subscribe (device: DeviceIdentity): string[]
  /** Decodes one of the firmware's own topics; null when the topic is not one of them. */
  decode (device: DeviceIdentity, topic: string, payload: Buffer, discovery: LearnedDiscovery): DecodeResult | null
}

const DISCOVERY_FILTER = `${DISCOVERY_PREFIX}/#`

/**
 * Namespaces a firmware topic may never reach into, whatever `device.topic` says: Tsudoi's
 * native tree (a Tasmota Topic `tsudoi` would otherwise own `tsudoi/tele/#`, the tree of a
 * member called `tele`), the shared discovery tree, and broker topics [MQTT-4.7.2-1]; nor
 * a whole root that many devices share (`tele/#`, `zigbee2mqtt/#`): each device owns only
 * its own tree below it. The registry refuses such topics (server/domain/topic-trees.ts);
 * this also holds for devices registered before it did.
 */
const isReserved = (filter: string): boolean => {
  const levels = filter.split('/')
  const root = levels[0] ?? ''
  if (levels.length === 2 && levels[1] === '#' && SHARED_ROOTS.has(root)) return true
  return root === NATIVE_ROOT || root === DISCOVERY_PREFIX || root.startsWith('$')
}
const ownPublish = (rules: FirmwareRules, device: DeviceIdentity): string[] => rules.publish(device).filter((f) => !isReserved(f))
const ownSubscribe = (rules: FirmwareRules, device: DeviceIdentity): string[] => rules.subscribe(device).filter((f) => !isReserved(f))
const isOwn = (rules: FirmwareRules, device: DeviceIdentity, topic: string): boolean =>
  matcherFor(rules, device, () => ownPublish(rules, device))(topic)

/**
 * A topic an announced entity may use as its state or availability: one of the device's
 * own firmware topics, or (as Home Assistant's own examples do) a topic under
 * `homeassistant/` that is neither a config nor Home Assistant's status.
 */
function ownsTopic (rules: FirmwareRules, device: DeviceIdentity, topic: string): boolean {
  if (isOwn(rules, device, topic)) return true
  return topic.startsWith(`${DISCOVERY_PREFIX}/`) && topic !== DISCOVERY_STATUS_TOPIC && parseDiscoveryTopic(topic) === undefined
}

export function firmwareFormat (rules: FirmwareRules): PayloadFormat {
  return {
    publishFilters: (device) => [...ownPublish(rules, device), DISCOVERY_FILTER, ...nativeFormat.publishFilters(device)],
    subscribeFilters: (device) => [...ownSubscribe(rules, device), DISCOVERY_STATUS_TOPIC, ...nativeFormat.subscribeFilters(device)],
    decode (device, topic, payload, discovery) {
      const native = nativeFormat.decode(device, topic, payload, discovery)
      if (native !== null) return native
      if (parseDiscoveryTopic(topic) !== undefined) {
        return discovery.learn(device.id, topic, payload, (stateTopic) => ownsTopic(rules, device, stateTopic))
      }
      const own = isOwn(rules, device, topic) ? rules.decode(device, topic, payload, discovery) : null
      return own ?? decodeLearned(discovery, device.id, topic, payload)
    }
  }
}

/** The rest of `topic` under `prefix/`, or undefined when the topic lies elsewhere (or is the prefix itself). */
export function under (prefix: string, topic: string): string | undefined {
  const start = `${prefix}/`
  return topic.startsWith(start) && topic.length > start.length ? topic.slice(start.length) : undefined
}
