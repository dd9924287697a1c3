import type { Client } from 'aedes'
import type { ErrorCode } from '../errors.ts'
import type { Refusal } from '../ingest/validate.ts'

// MQTT 5 answers of the hub (issue 15). aedes 2 speaks MQTT 5, but two of the answers the hub
// gives a v5 device are not ones its hooks can choose (aedes 2.0.0-beta.1, lib/handlers/
// connect.js and publish.js): a refused CONNECT maps the v3 return code to a reason code (3 →
// 0x88, never 0x89 "server busy"), and a refused PUBLISH is always answered 0x87 "not
// authorized" (never 0x99 "payload format invalid"). The hub writes those packets itself, in
// the order aedes would have written them, and tells aedes not to write its own
// (aedes-internals.ts). The packets are small enough to encode here by hand [MQTT-3.2], [MQTT-3.4].

/** Reason codes the hub sends [MQTT-2.4]. */
export const ReasonCode = {
  SUCCESS: 0x00,
  UNSPECIFIED_ERROR: 0x80,
  CLIENT_IDENTIFIER_NOT_VALID: 0x85,
  BAD_USERNAME_OR_PASSWORD: 0x86,
  NOT_AUTHORIZED: 0x87,
  SERVER_BUSY: 0x89,
  TOPIC_NAME_INVALID: 0x90,
  RECEIVE_MAXIMUM_EXCEEDED: 0x93,
  QUOTA_EXCEEDED: 0x97,
  PAYLOAD_FORMAT_INVALID: 0x99
} as const

/** Topic aliases a v5 device may set on one connection: each holds a topic the hub remembers for it. */
export const TOPIC_ALIAS_MAXIMUM = 16
/**
 * QoS 1 and 2 PUBLISHes a v5 device may have unacknowledged at once, advertised in CONNACK; one
 * more is a protocol error answered with DISCONNECT 0x93 [MQTT-3.3.4-9]. A PUBACK waits for the
 * readings to be durable (a group commit, a few ms), so 256 in flight keep a device's backlog
 * flowing.
 */
export const RECEIVE_MAXIMUM = 256
/** v5 sessions held for disconnected devices at once; a session beyond it ends with its connection. */
export const PENDING_SESSIONS_LIMIT = 10_000
/** Longest reason string the hub sends (characters): enough for the error code and its message. */
const REASON_STRING_CHARS = 160

/** aedes 2 options that advertise (CONNACK) and enforce the hub's MQTT 5 limits. */
export function mqtt5Options (maxPacketBytes: number, maxSessionExpiryMs: number) {
  return {
    topicAliasMaximum: TOPIC_ALIAS_MAXIMUM,
    maximumPacketSize: maxPacketBytes,
    receiveMaximum: RECEIVE_MAXIMUM,
    sessionExpiryIntervalLimit: Math.max(1, Math.floor(maxSessionExpiryMs / 1000)),
    pendingSessionsLimit: PENDING_SESSIONS_LIMIT
  }
}

/** What a v5 device is told about a PUBLISH the hub refused all or part of. */
export interface PublishAnswer { reasonCode: number, reasonString: string }

const TOPIC_REASONS: Partial<Record<ErrorCode, number>> = {
  TOPIC_NOT_ALLOWED: ReasonCode.NOT_AUTHORIZED,
  UNKNOWN_TOPIC: ReasonCode.TOPIC_NAME_INVALID
}
const PAYLOAD_REASONS: Partial<Record<ErrorCode, number>> = {
  TOO_MANY_METRICS: ReasonCode.QUOTA_EXCEEDED,
  PROCESSING_FAILED: ReasonCode.UNSPECIFIED_ERROR
}

/**
 * The PUBACK a v5 device gets for a PUBLISH with refusals: a topic that is not its own 0x87, a
 * payload nothing of which was kept 0x99 (or 0x97, 0x80), and a payload some readings of which
 * were kept success 0x00 — those readings are stored — with the first refusal as reason string.
 * Undefined when nothing was refused.
 */
export function publishAnswer (refusals: readonly Refusal[], kept: number): PublishAnswer | undefined {
  const topic = refusals.find((r) => TOPIC_REASONS[r.code] !== undefined)
  const first = topic ?? refusals[0]
  if (first === undefined) return undefined
  const reasonCode = topic !== undefined
    ? TOPIC_REASONS[topic.code]!
    : kept > 0 ? ReasonCode.SUCCESS : PAYLOAD_REASONS[first.code] ?? ReasonCode.PAYLOAD_FORMAT_INVALID
  return { reasonCode, reasonString: reasonString(first.code, first.message) }
}

/** `CODE: message`, cut short: the code is what a device matches on. */
export function reasonString (code: ErrorCode, message: string): string {
  const text = `${code}: ${message}`
  // Cut at a code point, never inside a surrogate pair: the string must stay well-formed UTF-8 [MQTT-1.5.4-1].
  return [...text].slice(0, REASON_STRING_CHARS).join('')
}

/** PUBACK (QoS 1) or PUBREC (QoS 2) with a reason code and, when the device accepts one, a reason string [MQTT-3.4.2]. */
export function encodePublishAck (qos: 1 | 2, messageId: number, answer: PublishAnswer, withReason: boolean, clientMaxPacket?: number): Buffer {
  const head = Buffer.from([messageId >> 8, messageId & 0xff, answer.reasonCode])
  return fixedHeader(qos === 1 ? 0x40 : 0x50, head, withReason ? answer.reasonString : undefined, clientMaxPacket)
}

/** A refusing CONNACK (session present 0) with its reason code and reason string [MQTT-3.2.2]. */
export function encodeConnackRefusal (reasonCode: number, text: string): Buffer {
  return fixedHeader(0x20, Buffer.from([0, reasonCode]), text)
}

function fixedHeader (first: number, head: Buffer, text: string | undefined, clientMaxPacket?: number): Buffer {
  const build = (withText: boolean): Buffer => {
    const body = withText && text !== undefined ? Buffer.from(text, 'utf8') : undefined
    const properties = body === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x1f, body.length >> 8, body.length & 0xff]), body])
    const rest = Buffer.concat([head, varint(properties.length), properties])
    return Buffer.concat([Buffer.from([first]), varint(rest.length), rest])
  }
  const packet = build(true)
  // [MQTT-3.4.2-3]: no reason string when it would make the packet larger than the client accepts.
  return clientMaxPacket !== undefined && packet.length > clientMaxPacket ? build(false) : packet
}

function varint (value: number): Buffer {
  const bytes: number[] = []
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) byte |= 0x80
    bytes.push(byte)
  } while (value > 0)
  return Buffer.from(bytes)
}

/** The CONNECT's choices the hub needs when it answers a v5 client itself. */
export interface V5Session {
  /** Request Problem Information [MQTT-3.1.2-29]: false forbids reason strings on PUBACK/PUBREC. */
  problemInformation: boolean
  /** The client's Maximum Packet Size [MQTT-3.1.2-24], when it gave one. */
  maximumPacketSize?: number
  /** QoS 1/2 PUBLISHes not yet acknowledged (RECEIVE_MAXIMUM). */
  inFlight: number
  /** It sent more than RECEIVE_MAXIMUM: DISCONNECT 0x93 is on its way. */
  exceeded?: boolean
}

export function isV5 (client: Client | null): boolean {
  return (client as { version?: number | null } | null)?.version === 5
}

/**
 * The name of a property a v5 packet carries more than once where MQTT 5 allows it once (every
 * property but User Property [MQTT-3.1.2.11], [MQTT-3.3.2.3]): a Protocol Error. mqtt-packet 9
 * hands such a property on as an array, and aedes 2.0.0-beta.1 takes the array for a number:
 * two Topic Alias properties passed its range check and were stored as a new alias on every
 * PUBLISH (the alias map grew without bound), two Session Expiry Interval properties made its
 * session timer throw when the connection closed. The hub closes the connection first.
 */
export function repeatedProperty (packet: { properties?: object, will?: { properties?: object } | null }): string | undefined {
  for (const properties of [packet.properties, packet.will?.properties]) {
    if (properties === undefined) continue
    for (const [name, value] of Object.entries(properties)) {
      if (name !== 'userProperties' && Array.isArray(value)) return name
    }
  }
  return undefined
}
