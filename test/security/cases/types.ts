import type { ApiResult } from '../../helpers/hostile-hub.ts'
import type { HubPacket } from '../../helpers/raw-connection.ts'

// The shapes of the hostile-input case tables, one file per family. Each case states what a
// hub that keeps its promises does; `pending` names the known defect (and who is fixing it)
// when today's hub does something else: the runner then expects the case to fail, so the
// suite stays green and flags the case the moment the fix lands (remove the mark then).

interface CaseBase {
  /** Stable id, `<family>-<nn>`: what the report and the commit messages refer to. */
  id: string
  title: string
  /** The known defect that makes this case fail today, and where it comes from. */
  pending?: string
  /** Set with `pending` when the defect kills the hub process (the suite restarts it). */
  kills?: true
}

/** What a raw connection's hub side should do. */
export type PacketOutcome =
  /** The hub hangs up, without ever accepting a login on this connection. */
  | { closed: true }
  /** CONNACK with one of these return codes [MQTT-3.2.2-5], then the hub hangs up. */
  | { connack: number[] }
  /** An answer the hub must send, after which the connection is still served (PINGREQ). */
  | { reply: (packet: HubPacket) => boolean, what: string }
  /** SUBACK with these return codes, the connection still served. */
  | { suback: number[] }
  /** The packet is ignored or refused; the connection is still served. */
  | { kept: true }
  /** Either is allowed here (the spec says MAY); the hub must not die or accept the data. */
  | { closedOrKept: true }

export interface PacketContext {
  /** `tsudoi/<member>/<device>` of the raw device the case logs in as. */
  native: string
  device: { id: string, token: string }
  /** Another member's device, for cross-member attempts. */
  victim: { id: string, token: string, native: string, topic: string }
}

export interface PacketCase extends CaseBase {
  /** Log in as the raw device first (CONNECT + CONNACK 0). */
  login: boolean
  /** Bytes written in order, each chunk its own write. */
  send: (ctx: PacketContext) => Buffer[]
  /** Half-close the socket after writing (a peer that gives up mid-packet). */
  end?: true
  /** The spec clause or issue item the expectation comes from. */
  spec: string
  expect: PacketOutcome
}

/** The suite's devices, one per format (plus two that spend their metric budget). */
export type SuiteDevice = 'json' | 'plain' | 'tasmota' | 'esphome' | 'shelly' | 'zigbee2mqtt' | 'homeassistant' | 'auto' | 'wide' | 'widetas'

export interface TopicContext {
  /** `tsudoi/<member>/<device>`: the device's native prefix, without the trailing slash. */
  native: string
  /** The device's registered firmware topic. */
  topic: string
}

/** `[metric, value]`, or `[metric, value, time]` when the payload set the time. */
export type StoredReading = [string, number] | [string, number, number]

export interface PayloadCase extends CaseBase {
  device: SuiteDevice
  /** Publishes before the one under test (discovery configs); their refusals count too. */
  before?: Array<{ topic: (t: TopicContext) => string, payload: string | Buffer }>
  topic: (t: TopicContext) => string
  payload: string | Buffer
  /** The distinct refusal codes published on the device's errors topic, sorted. */
  refused: string[]
  /** The readings stored by the case, in any order; a number when only their count is stated. */
  stored: StoredReading[] | number
}

export interface RegistrationContext {
  memberKey: string
  joinerKey: string
  victimTopic: string
  api: (path: string, options?: { method?: string, token?: string, body?: unknown, raw?: string }) => Promise<ApiResult>
}

export interface RegistrationCase extends CaseBase {
  as: 'member' | 'joiner' | 'admin' | 'anonymous'
  /** `/api/me/devices` unless said otherwise. */
  path?: string
  body?: unknown
  /** A body sent as is (not JSON-encoded). */
  raw?: string
  /** `refused`: a 4xx with a catalogue code; `created`: 201; or a check of its own. */
  expect: 'refused' | 'created' | ((result: ApiResult, ctx: RegistrationContext) => void | Promise<void>)
}
