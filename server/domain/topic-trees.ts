import type { DeviceFormat } from './device-formats.ts'

// Which MQTT topic trees a firmware device owns, and whether a device may claim its topic
// (issue 12, item 2). Firmware topics are not namespaced by member: Tasmota's `tele/`,
// `cmnd/` and `stat/` are roots every Tasmota shares, and a topic may hold `/`. So a device
// owns *trees* — a topic and everything below it — derived from its `format` and `topic`
// exactly as the format files build its ACL (server/ingest/formats/*.ts, publish and
// subscribe rules), and no tree of one device may contain, or be contained in, another's.
// Pure: the registry passes its devices in; test/domain/topic-trees.property.test.ts
// checks this model against the ACL the formats really grant.

/** A tree as its levels: `['tele', 'plug1']` is `tele/plug1` and every topic below it. */
export type TopicTree = readonly string[]

/** What the registry knows of a device that matters here. */
export interface TopicHolder { id: string, member: string, format: DeviceFormat, topic: string }

/** A device being registered (or changed): its id is left out of its own comparison. */
export interface TopicClaim { id?: string, member: string, format: DeviceFormat, topic: string }

export const MAX_TOPIC_LENGTH = 128

/** Roots no firmware topic may reach into: Tsudoi's native tree, the shared discovery tree, broker topics [MQTT-4.7.2-1]. */
const RESERVED_ROOTS = new Set(['tsudoi', 'homeassistant'])

/**
 * Roots that many devices share, each under its own name: a device may own `tele/<topic>/`
 * but never `tele/` itself. Tasmota's prefixes and discovery root (tasmota.github.io/docs/MQTT),
 * Zigbee2MQTT's default base topic, Shelly Gen1, Homie, Z-Wave JS UI and rtl_433 defaults.
 */
export const SHARED_ROOTS: ReadonlySet<string> = new Set(['tele', 'cmnd', 'stat', 'tasmota', 'zigbee2mqtt', 'shellies', 'homie', 'zwave', 'rtl_433'])

/**
 * Zigbee2MQTT's default base topic (`zigbee2mqtt`) would be the same for every bridge, so
 * each member's bridges get `zigbee2mqtt_<member>`, then `zigbee2mqtt_<member>_2`, … A
 * member id is a slug ([a-z0-9-], server/registry/ids.ts) and never holds `_`, so the text
 * between `zigbee2mqtt_` and the next `_` names the one member who may claim that root.
 */
const Z2M_MEMBER_ROOT = 'zigbee2mqtt_'

const TASMOTA_PREFIXES = ['tele', 'stat', 'cmnd'] as const

type TreeShape = (topic: TopicTree) => TopicTree[]
const wholeTopic: TreeShape = (topic) => [topic]
/** Tasmota publishes `tele|stat` and subscribes `cmnd`, in both FullTopic orders (server/ingest/formats/tasmota.ts). */
const tasmotaTrees: TreeShape = (topic) => TASMOTA_PREFIXES.flatMap((prefix) => [[prefix, ...topic], [...topic, prefix]])

// One entry per format, as in server/ingest/formats/index.ts. Native devices publish under
// `tsudoi/<member>/<device>/` only; their `topic` is never used for topics.
const TREES: Record<DeviceFormat, TreeShape> = {
  json: () => [],
  plain: () => [],
  tasmota: tasmotaTrees,
  esphome: wholeTopic,
  shelly: wholeTopic,
  zigbee2mqtt: wholeTopic,
  homeassistant: wholeTopic,
  // server/ingest/formats/auto.ts: the union of Tasmota, Shelly and ESPHome.
  auto: (topic) => [...tasmotaTrees(topic), topic]
}

/** The firmware setting a member changes to give the device another topic. */
const SETTING: Record<DeviceFormat, string> = {
  json: 'the device topic',
  plain: 'the device topic',
  tasmota: 'Tasmota `Topic`',
  esphome: 'ESPHome `topic_prefix`',
  shelly: 'Shelly `mqtt.topic_prefix`',
  zigbee2mqtt: 'Zigbee2MQTT `base_topic`',
  homeassistant: 'the base topic the device publishes under',
  auto: 'Tasmota `Topic`, ESPHome `topic_prefix` or Shelly `mqtt.topic_prefix`'
}
export const firmwareSetting = (format: DeviceFormat): string => SETTING[format]

export const treesOf = (format: DeviceFormat, topic: string): TopicTree[] => TREES[format](topic.split('/'))
export const treeText = (tree: TopicTree): string => `${tree.join('/')}/`

/** Does one tree contain the other (or are they the same)? Level by level, as MQTT matches. */
export function treesOverlap (a: TopicTree, b: TopicTree): boolean {
  const levels = Math.min(a.length, b.length)
  for (let i = 0; i < levels; i++) if (a[i] !== b[i]) return false
  return true
}

// MQTT forbids NUL and discourages the other control characters and Unicode noncharacters
// in topics [MQTT-1.5.3-2]; a lone surrogate cannot be encoded as UTF-8 [MQTT-1.5.3-1];
// wildcards [MQTT-4.7.1] and spaces no firmware accepts in a topic setting.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /\p{Cs}/u
/** U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, …). */
const NONCHARACTER = /[\u{fdd0}-\u{fdef}\u{fffe}\u{ffff}\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{3fffe}\u{3ffff}\u{4fffe}\u{4ffff}\u{5fffe}\u{5ffff}\u{6fffe}\u{6ffff}\u{7fffe}\u{7ffff}\u{8fffe}\u{8ffff}\u{9fffe}\u{9ffff}\u{afffe}\u{affff}\u{bfffe}\u{bffff}\u{cfffe}\u{cffff}\u{dfffe}\u{dffff}\u{efffe}\u{effff}\u{ffffe}\u{fffff}\u{10fffe}\u{10ffff}]/u
const FORBIDDEN = /[+#\s]/

/** Why `topic` cannot be written as a topic setting at all, or undefined. */
function shapeProblem (topic: string): string | undefined {
  if (topic.length === 0) return 'is empty'
  if (topic.length > MAX_TOPIC_LENGTH) return `is longer than ${MAX_TOPIC_LENGTH} characters`
  if (CONTROL.test(topic)) return 'holds a control character'
  if (LONE_SURROGATE.test(topic)) return 'is not valid UTF-8'
  if (NONCHARACTER.test(topic)) return 'holds a Unicode noncharacter'
  if (FORBIDDEN.test(topic)) return 'holds a space or a wildcard (+, #)'
  if (topic.startsWith('/')) return 'starts with /'
  if (topic.endsWith('/')) return 'ends with /'
  if (topic.includes('//')) return 'has an empty level (//)'
  return undefined
}

/** Why one tree may not be owned by a device of `member`, or undefined. */
function treeProblem (tree: TopicTree, member: string): string | undefined {
  const root = tree[0] ?? ''
  if (RESERVED_ROOTS.has(root) || root.startsWith('$')) return `would reach into ${root}/, which is reserved`
  if (tree.length === 1 && SHARED_ROOTS.has(root)) return `would own ${root}/, a root every device of that firmware shares`
  if (root.startsWith(Z2M_MEMBER_ROOT) && root.slice(Z2M_MEMBER_ROOT.length).split('_')[0] !== member) {
    return `would reach into ${Z2M_MEMBER_ROOT}…, which is kept for each member's own bridges (${Z2M_MEMBER_ROOT}<member>)`
  }
  return undefined
}

/**
 * Why a device may not use `topic` whatever the other devices are (malformed, reserved, a
 * shared root, another member's namespace), or undefined when it may. The caller adds which
 * firmware setting to change (firmwareSetting).
 */
export function topicProblem (claim: Omit<TopicClaim, 'id'>): string | undefined {
  const { format, topic } = claim
  const quoted = JSON.stringify(topic)
  const shape = shapeProblem(topic)
  if (shape !== undefined) return `topic ${quoted} ${shape}`
  const trees = treesOf(format, topic)
  if (trees.length === 0) return undefined // native formats: the topic names no MQTT topic
  if (SHARED_ROOTS.has(topic)) return `topic ${quoted} is a root every device of that firmware shares`
  for (const tree of trees) {
    const problem = treeProblem(tree, claim.member)
    if (problem !== undefined) return `topic ${quoted} ${problem}`
  }
  return undefined
}

export interface Clash {
  /** The device already holding an overlapping tree. Never shown to another member. */
  holder: TopicHolder
  /** The claimant's own tree that overlaps it (safe to show: it comes from the claimant's input). */
  tree: TopicTree
}

/**
 * The first other device whose trees contain, or are contained in, one of the claim's trees.
 * Devices of the claimant's own member count too: two devices on one tree would receive each
 * other's commands.
 */
export function findClash (claim: TopicClaim, devices: Iterable<TopicHolder>): Clash | undefined {
  const mine = treesOf(claim.format, claim.topic)
  if (mine.length === 0) return undefined
  for (const holder of devices) {
    if (holder.id === claim.id) continue
    for (const theirs of treesOf(holder.format, holder.topic)) {
      const tree = mine.find((own) => treesOverlap(own, theirs))
      if (tree !== undefined) return { holder, tree }
    }
  }
  return undefined
}

/**
 * The topic a device gets when none is given: its id (unique hub-wide), except a Zigbee2MQTT
 * bridge, whose firmware default would be the same for everyone: the member's first free
 * `zigbee2mqtt_<member>[_<n>]`. The caller still checks the result (an id can be a reserved root).
 */
export function defaultTopic (claim: { id: string, member: string, format: DeviceFormat }, devices: readonly TopicHolder[]): string {
  if (claim.format !== 'zigbee2mqtt') return claim.id
  for (let n = 1; ; n++) {
    const topic = n === 1 ? `${Z2M_MEMBER_ROOT}${claim.member}` : `${Z2M_MEMBER_ROOT}${claim.member}_${n}`
    if (findClash({ ...claim, topic }, devices) === undefined) return topic
  }
}
