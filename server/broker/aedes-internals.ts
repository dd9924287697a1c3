import { Duplex } from 'node:stream'
import type { Aedes, Client } from 'aedes'

// The private fields of aedes' Client (lib/client.js, aedes 2.0.0-beta.1, pinned exactly in
// package.json) that the packet-size guard and the fast path plug into. A new aedes may
// rename them; `probeClientInternals` finds out at start-up instead of at the first packet.

export interface AedesParser {
  parse: (buf: Buffer) => number
  /** mqtt-packet's Parser is an EventEmitter: aedes listens for 'packet'. */
  prependListener: (event: 'packet', listener: (packet: { properties?: object, will?: { properties?: object } | null }) => void) => void
  _list: { length: number }
  _stateCounter: number
}

export interface AedesClientInternals {
  _parser: AedesParser
  _parsingBatch: number
  _nextBatch: (error?: Error) => void
  _keepaliveTimer: { refresh: () => void } | null
  _authorized: boolean
  version: number | null
  closed: boolean
  conn: NodeJS.WritableStream & { destroyed?: boolean, writableEnded?: boolean, cork?: () => void, uncork?: () => void, destroy: (error?: Error) => void }
  broker: { maxTopicLevels: number }
}

export function internalsOf (client: Client): AedesClientInternals {
  return client as unknown as AedesClientInternals
}

/** aedes' registry of connected clients by id (aedes.js, `registerClient`). */
export function clientsOf (broker: Aedes): Record<string, Client | undefined> {
  return (broker as unknown as { clients: Record<string, Client | undefined> }).clients
}

/**
 * Builds one aedes Client over a stream that carries nothing and checks that every private
 * field the hub relies on is there with the expected type. Returns what is missing (empty: all
 * there). The probe client is closed before returning; it never registers with the broker.
 */
export function probeClientInternals (broker: Aedes, handle: (conn: Duplex) => Client): string[] {
  const conn = new Duplex({ read () {}, write (_chunk, _encoding, callback) { callback() } })
  const probe = handle(conn) as unknown as Record<string, unknown>
  const parser = probe._parser as Record<string, unknown> | undefined
  const checks: Array<[string, boolean]> = [
    ['_parser.parse', typeof parser?.parse === 'function'],
    ['_parser._list.length', typeof (parser?._list as { length?: unknown } | undefined)?.length === 'number'],
    ['_parser._stateCounter', typeof parser?._stateCounter === 'number'],
    ['_parsingBatch', typeof probe._parsingBatch === 'number'],
    ['_nextBatch', typeof probe._nextBatch === 'function'],
    ['_keepaliveTimer', '_keepaliveTimer' in probe],
    ['_authorized', typeof probe._authorized === 'boolean'],
    ['version', 'version' in probe],
    ['closed', typeof probe.closed === 'boolean'],
    ['connecting', typeof probe.connecting === 'boolean'],
    ['conn', probe.conn === conn],
    ['broker.maxTopicLevels', typeof (broker as unknown as { maxTopicLevels?: unknown }).maxTopicLevels === 'number']
  ]
  ;(probe as unknown as Client).close()
  return checks.filter(([, ok]) => !ok).map(([name]) => name)
}

/**
 * aedes 2 (lib/handlers/publish.js, enqueuePublish) neither acknowledges nor publishes a PUBLISH
 * its authorizePublish marked `_notAuthorized`: the hub, having written the MQTT 5 PUBACK itself
 * (server/broker/mqtt5.ts), marks the packet so aedes writes no second one.
 */
export function skipAedesAck (packet: object): void {
  (packet as { _notAuthorized?: boolean })._notAuthorized = true
}

/**
 * aedes 2 writes a packet only while the client is `connecting` or `connected` (lib/write.js).
 * Cleared before a refusing authenticate answers, the CONNACK the hub wrote itself stays the only
 * one; aedes then closes the connection as for any refusal.
 */
export function skipAedesConnack (client: Client): void {
  (client as unknown as { connecting: boolean }).connecting = false
}
