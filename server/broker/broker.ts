import { finished } from 'node:stream'
import type { IncomingMessage } from 'node:http'
import { Aedes, type AuthenticateError, type Client, type Connection } from 'aedes'
import type { Config } from '../config.ts'
import type { ErrorCode } from '../errors.ts'
import type { EventBus } from '../event-bus.ts'
import type { Activity } from '../ingest/activity.ts'
import type { IngestVerdict } from '../ingest/pipeline.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import { maySubscribe } from '../ingest/access.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'
import { clientsOf, internalsOf, probeClientInternals, skipAedesAck, skipAedesConnack } from './aedes-internals.ts'
import { namespacedClientId } from './client-id.ts'
import { ConnectRate } from './connect-rate.ts'
import { type ContainDeps, type PublishHandler, containIngest } from './contained-ingest.ts'
import { type V5Session, RECEIVE_MAXIMUM, ReasonCode, encodeConnackRefusal, encodePublishAck, mqtt5Options, publishAnswer, reasonString, repeatedProperty } from './mqtt5.ts'
import { wellFormedMqttString } from './mqtt-strings.ts'
import { type ParseSlot, guardPacketSizes, largestPacket, packetLimits } from './packet-size-guard.ts'
import { PubackWriter, installFastPath } from './publish-fast-path.ts'

export type BrokerConfig = Pick<Config, 'TSUDOI_MAX_PAYLOAD' | 'TSUDOI_FAST_PATH' | 'TSUDOI_MAX_CONNECTIONS_PER_DEVICE' | 'TSUDOI_CONNECT_RATE_PER_ADDRESS' | 'TSUDOI_MAX_SESSION_EXPIRY'>

export interface BrokerDeps {
  authenticate: (deviceId: string, token: string) => DeviceIdentity | undefined
  pipeline: PublishHandler
  /** Keeps the order of acknowledgements when a payload's handling failed (server/broker/contained-ingest.ts). */
  committer: ContainDeps['committer']
  reporter?: ContainDeps['reporter']
  activity: Activity
  bus: EventBus
  metrics: HubMetrics
  log: Log
  config: BrokerConfig
}

// Where a refused PUBLISH is sent instead of its topic: `$`-topics are never matched by a
// device's wildcard subscription [MQTT-4.7.2-1], and no device may subscribe to it.
const REFUSED_SINK = '$tsudoi/refused'

const identities = new WeakMap<Client, DeviceIdentity>()
const authenticatedAt = new WeakMap<Client, number>()
const emptyClientIds = new WeakSet<Client>()
const parseSlots = new WeakMap<Client, ParseSlot>()
const largestPackets = new WeakMap<Aedes, number>()
// MQTT 5 connections: what their CONNECT asked for (server/broker/mqtt5.ts).
const v5Sessions = new WeakMap<Client, V5Session>()
// Packets with a repeated MQTT 5 property, and their connections, closed: aedes still hands the
// hooks the packet (and a SUBSCRIBE's filters) after the close.
const protocolErrors = new WeakSet<object>()

/** A refused CONNECT: the MQTT 3.1.1 return code aedes answers with, the MQTT 5 reason code the hub answers with. */
interface ConnectRefusal { returnCode: 2 | 3 | 4 | 5, reasonCode: number, code: ErrorCode, message: string }

function connectError (refusal: Pick<ConnectRefusal, 'returnCode' | 'message'>): AuthenticateError {
  return Object.assign(new Error(refusal.message), { returnCode: refusal.returnCode }) as AuthenticateError
}

/** The largest MQTT packet the broker accepts from anyone: what one WebSocket message may carry. */
export function maxPacketBytes (broker: Aedes): number {
  return largestPackets.get(broker) ?? 16 * 1024 * 1024
}

/** The embedded Aedes broker with Tsudoi's identity, ACL, limits and ingest hooks. It listens on nothing itself. */
export async function createBroker (deps: BrokerDeps): Promise<Aedes> {
  const { metrics, log, activity, bus, config } = deps
  const pipeline = containIngest(deps.pipeline, deps)
  const acks = new PubackWriter()
  const limits = packetLimits(config.TSUDOI_MAX_PAYLOAD)
  const rate = new ConnectRate(config.TSUDOI_CONNECT_RATE_PER_ADDRESS)
  // Devices that asked to subscribe since the hub started (aedes' persistence is in memory):
  // only their PUBLISHes can have a reader, so only theirs need the broker's forwarding.
  const subscribers = new Set<string>()
  // The connections each device has logged in with and not yet closed (TSUDOI_MAX_CONNECTIONS_PER_DEVICE).
  const held = new Map<string, Set<Client>>()

  /** A protocol violation: aedes closes the connection when a hook answers with an error. */
  const malformed = (message: string): Error => {
    metrics.connectionsDropped.inc({ code: 'MALFORMED_PACKET' })
    return new Error(message)
  }

  /** Issue 12, item 1: what a hook or listener throws stays with its packet or its connection. */
  const failed = (hook: string, error: unknown, client?: Client | null): void => {
    metrics.handlerFailures.inc({ hook })
    log.error({ err: error, hook, clientId: client?.id }, 'broker hook failed; contained')
  }

  // Whether the hub may write a v5 refusing CONNACK itself (aedes-internals.ts): known once aedes is probed.
  let answersItself = false

  const broker = await Aedes.createBroker({
    // MQTT 5 limits, advertised in CONNACK and enforced (server/broker/mqtt5.ts).
    ...mqtt5Options(largestPacket(limits), config.TSUDOI_MAX_SESSION_EXPIRY),
    // What aedes does not check in a CONNECT; and [MQTT-3.1.3-8]: an empty client id needs a
    // clean session, remembered for authenticate.
    preConnect (client, packet, callback) {
      try {
        if (protocolErrors.has(packet)) return callback(new Error('connection closed'), false)
        if (!wellFormedMqttString(packet.clientId)) return callback(malformed('the client id is not well-formed UTF-8 [MQTT-1.5.3]'), false)
        if (packet.will != null && ((packet.will.qos as number) > 2 || !wellFormedMqttString(packet.will.topic))) {
          return callback(malformed('the will has QoS 3 [MQTT-3.1.2-14] or a topic that is not well-formed UTF-8 [MQTT-1.5.3]'), false)
        }
        // MQTT 5 lets the server assign a client id to an empty one, whatever the session [MQTT-3.1.3-6].
        if (packet.clientId === '' && packet.protocolVersion !== 5) emptyClientIds.add(client)
        if (packet.protocolVersion === 5) {
          v5Sessions.set(client, {
            problemInformation: packet.properties?.requestProblemInformation !== false,
            maximumPacketSize: packet.properties?.maximumPacketSize,
            inFlight: 0
          })
        }
      } catch (error) {
        failed('preConnect', error, client)
        return callback(error as Error, false)
      }
      callback(null, true)
    },
    authenticate (client, username, password, done) {
      let refusal: ConnectRefusal | undefined
      try {
        refusal = admit(client, username, password)
        // MQTT 5: the hub's own CONNACK, with the reason code aedes cannot choose (0x89) and a reason string naming the error code.
        if (refusal !== undefined && v5Sessions.has(client) && answersItself) {
          client.conn.write(encodeConnackRefusal(refusal.reasonCode, reasonString(refusal.code, refusal.message)))
          skipAedesConnack(client)
        }
      } catch (error) {
        failed('authenticate', error, client)
        return done(connectError({ returnCode: 3, message: 'server unavailable' }), false)
      }
      if (refusal !== undefined) return done(connectError(refusal), false)
      done(null, true)
    },
    authorizePublish (client, packet, callback) {
      let called = false
      const answer = (error: Error | null): void => {
        if (called) return
        called = true
        callback(error)
      }
      try {
        // Both paths: the fast path hands these to aedes (publish-fast-path.ts), which asks here.
        if (packet.qos > 0 && packet.messageId === 0) return answer(malformed('a QoS 1 or 2 PUBLISH needs a non-zero packet id [MQTT-2.3.1-1]'))
        if (!wellFormedMqttString(packet.topic)) return answer(malformed('the topic is not well-formed UTF-8 [MQTT-1.5.3]'))
        // The packet, not the client: its will is still published [MQTT-3.1.2-8].
        if (protocolErrors.has(packet)) return answer(new Error('connection closed'))
        const identity = client === null ? undefined : identities.get(client)
        // A will left by a session whose client is gone cannot be attributed to a device.
        if (identity === undefined) return answer(new Error('publisher has no identity'))
        const conn = client!.conn as { cork?: () => void, uncork?: () => void, write: (bytes: Buffer) => unknown }
        const v5 = v5Sessions.get(client!)
        if (v5 !== undefined && packet.qos > 0 && ++v5.inFlight > RECEIVE_MAXIMUM) {
          // [MQTT-3.3.4-9]: more unacknowledged QoS 1/2 PUBLISHes than the CONNACK allowed. The
          // rest of the batch is dropped unanswered: the connection is ending.
          skipAedesAck(packet)
          if (!v5.exceeded) client!.disconnect({ reasonCode: ReasonCode.RECEIVE_MAXIMUM_EXCEEDED }, () => {})
          v5.exceeded = true
          return answer(null)
        }
        let verdict: IngestVerdict | undefined
        let early: { error: Error | null } | undefined
        const committed = (failure: Error | null): void => {
          let error = failure
          // A commit answers many publishes of one connection at once: corked, their PUBACKs
          // leave in one write instead of one syscall each.
          conn.cork?.()
          acks.flush(client!)
          if (v5 !== undefined && error !== null) {
            // The readings could not be made durable. As for MQTT 3.1.1: nothing is acknowledged
            // and the connection ends, so the device sends them again — aedes 2 would answer a v5
            // device 0x87 (a QoS 0 one nothing) and keep the connection.
            skipAedesAck(packet)
            client!.close()
            error = null
          } else if (v5 !== undefined && packet.qos > 0) {
            v5.inFlight--
            // MQTT 5: a refusal is answered on the PUBACK (or PUBREC) itself, in its turn.
            const refused = publishAnswer(verdict!.refusals ?? [], verdict!.kept ?? 0)
            // A QoS 2 PUBLISH kept in part is acknowledged by aedes, which must remember it for the PUBREL.
            if (refused !== undefined && (packet.qos === 1 || refused.reasonCode >= 0x80)) {
              conn.write(encodePublishAck(packet.qos as 1 | 2, packet.messageId!, refused, v5.problemInformation, v5.maximumPacketSize))
              skipAedesAck(packet)
            }
          }
          answer(error)
          process.nextTick(() => conn.uncork?.())
        }
        // The commit may answer before handle returns its verdict: then it is answered right after.
        verdict = pipeline.handle(identity, packet.topic, packet.payload as Buffer, packet.qos, (error) => {
          if (verdict === undefined) early = { error }
          else committed(error)
        })
        if (early !== undefined) committed(early.error)
        if (!verdict.allowed) {
          // aedes has no "refuse but stay connected" for PUBLISH in MQTT 3.1.1 (an error here
          // drops the connection), so the packet is acknowledged and diverted to a sink nobody reads.
          packet.topic = REFUSED_SINK
          packet.retain = false
        }
      } catch (error) {
        failed('authorizePublish', error, client)
        packet.topic = REFUSED_SINK
        answer(error as Error) // the connection's state is unknown: close it, nothing else
      }
    },
    authorizeSubscribe (client, subscription, callback) {
      let allowed = false
      try {
        if (protocolErrors.has(client)) return callback(new Error('connection closed'), null)
        if (!wellFormedMqttString(subscription.topic)) return callback(malformed('the topic filter is not well-formed UTF-8 [MQTT-1.5.3]'), null)
        const identity = identities.get(client)
        if (identity !== undefined) subscribers.add(identity.id)
        allowed = identity !== undefined && maySubscribe(identity, subscription.topic)
        if (!allowed) {
          metrics.subscribeRefused.inc()
          log.info({ device: identity?.id, topic: subscription.topic }, 'subscription refused')
        }
      } catch (error) {
        failed('authorizeSubscribe', error, client)
        allowed = false
      }
      if (!allowed) return callback(null, null) // SUBACK failure 0x80 [MQTT-3.9.3], connection kept
      callback(null, subscription)
    }
  })

  /** The CONNECT's verdict: undefined to accept it, or the CONNACK refusal. */
  function admit (client: Client, username: string | undefined, password: Buffer | undefined): ConnectRefusal | undefined {
    if (emptyClientIds.has(client) && !client.clean) {
      metrics.connectRefused.inc({ code: 'CLIENT_ID_REQUIRED' })
      return { returnCode: 2, reasonCode: ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, code: 'CLIENT_ID_REQUIRED', message: 'an empty client id needs clean session' }
    }
    const identity = username === undefined || password === undefined
      ? undefined
      : deps.authenticate(username, password.toString('utf8'))
    if (identity === undefined) {
      metrics.connectRefused.inc({ code: 'BAD_CREDENTIALS' })
      log.info({ username, clientId: client.id }, 'connection refused: unknown device or wrong token')
      // MQTT 3.1.1 5 "not authorized" (as before); MQTT 5 says what it is: 0x86 bad user name or password.
      return { returnCode: 5, reasonCode: ReasonCode.BAD_USERNAME_OR_PASSWORD, code: 'BAD_CREDENTIALS', message: 'not authorized' }
    }
    // Before aedes' fetchSubs and registerClient read it (lib/handlers/connect.js): sessions,
    // wills and takeovers are keyed per device (server/broker/client-id.ts).
    const id = namespacedClientId(identity.id, client.id)
    const open = held.get(identity.id) ?? new Set<Client>()
    const current = clientsOf(broker)[id]
    const takesOver = current !== undefined && open.has(current)
    if (open.size - (takesOver ? 1 : 0) >= config.TSUDOI_MAX_CONNECTIONS_PER_DEVICE) {
      metrics.connectRefused.inc({ code: 'TOO_MANY_CONNECTIONS' satisfies ErrorCode })
      log.info({ device: identity.id, open: open.size }, 'connection refused: too many connections for this device')
      // 3 "server unavailable" (MQTT 5: 0x89 server busy): the device retries later, as it should,
      // instead of giving up on bad credentials.
      return { returnCode: 3, reasonCode: ReasonCode.SERVER_BUSY, code: 'TOO_MANY_CONNECTIONS', message: 'too many connections for this device' }
    }
    client.id = id
    held.set(identity.id, open.add(client))
    finished(client.conn, () => {
      open.delete(client)
      if (open.size === 0 && held.get(identity.id) === open) held.delete(identity.id)
    })
    identities.set(client, identity)
    authenticatedAt.set(client, performance.now())
    return undefined
  }

  const aedesHandle = broker.handle.bind(broker)
  const missing = probeClientInternals(broker, (conn) => aedesHandle(conn))
  if (missing.includes('_parser.parse') || missing.includes('_authorized')) {
    // The packet-size guard is not optional: without it any socket could make the hub buffer 256 MB.
    throw new Error(`aedes ${missing.join(', ')} not found: the hub's packet-size guard needs them (package.json pins aedes 2.0.0-beta.1)`)
  }
  answersItself = !missing.includes('connecting')
  const fastPath = config.TSUDOI_FAST_PATH && missing.length === 0
  if (config.TSUDOI_FAST_PATH && !fastPath) log.warn({ missing }, 'fast path off: aedes internals it needs are missing; every packet goes through aedes')

  // Every transport (TCP, TLS, WebSocket) hands its connections to `handle`: limits are applied
  // there, before aedes reads a byte.

  largestPackets.set(broker, largestPacket(limits))
  broker.handle = (conn: Connection, req?: IncomingMessage): Client => {
    const address = req?.socket.remoteAddress ?? (conn as { remoteAddress?: string }).remoteAddress
    if (address !== undefined && !rate.admit(address)) {
      metrics.connectionsDropped.inc({ code: 'CONNECT_RATE_LIMITED' satisfies ErrorCode })
      conn.destroy()
      return undefined as unknown as Client // transports ignore it; there is no client
    }
    const client = aedesHandle(conn, req)
    // Before aedes' own listener sees the packet (server/broker/mqtt5.ts, repeatedProperty).
    internalsOf(client)._parser.prependListener('packet', (packet: { properties?: object, will?: { properties?: object } | null }) => {
      if (packet.properties === undefined && packet.will?.properties === undefined) return
      const repeated = repeatedProperty(packet)
      if (repeated === undefined) return
      metrics.connectionsDropped.inc({ code: 'MALFORMED_PACKET' })
      log.info({ address, clientId: client.id, property: repeated }, 'connection closed: an MQTT 5 property given twice')
      // aedes still handles this packet after the close: without the property, and the hooks refuse it.
      packet.properties = undefined
      if (packet.will != null) packet.will.properties = undefined
      protocolErrors.add(packet).add(client)
      client.close()
    })
    parseSlots.set(client, guardPacketSizes(client, limits, (violation) => {
      metrics.connectionsDropped.inc({ code: violation.kind === 'too-large' ? 'PACKET_TOO_LARGE' satisfies ErrorCode : 'MALFORMED_PACKET' })
      log.info({ address, clientId: client.id, ...violation }, 'connection closed: a packet length its type cannot have')
      conn.destroy()
      client.close()
    }))
    return client
  }

  // The open connections of each device (one device may hold several).
  const sessions = new Map<string, Set<Client>>()
  broker.on('clientReady', (client) => {
    try {
      const identity = identities.get(client)
      metrics.connections.inc()
      if (identity === undefined) return
      const slot = parseSlots.get(client)
      if (fastPath && slot !== undefined) installFastPath(client, identity, { pipeline, subscribers }, acks, slot)
      sessions.set(identity.id, (sessions.get(identity.id) ?? new Set()).add(client))
      if ((authenticatedAt.get(client) ?? 0) <= (revokedAt.get(identity.id) ?? -1)) client.close()
      if (activity.connected(identity.id) === 1) {
        bus.emit('deviceStatus', { id: identity.id, member: identity.member, online: true, lastSeen: Date.now() })
      }
    } catch (error) {
      failed('clientReady', error, client)
      client.close()
    }
  })
  broker.on('clientDisconnect', (client) => {
    try {
      const identity = identities.get(client)
      metrics.connections.dec()
      if (identity === undefined) return
      sessions.get(identity.id)?.delete(client)
      if (sessions.get(identity.id)?.size === 0) sessions.delete(identity.id)
      if (activity.disconnected(identity.id) === 0) {
        bus.emit('deviceStatus', { id: identity.id, member: identity.member, online: false, lastSeen: activity.lastSeen(identity.id) ?? null })
      }
    } catch (error) {
      failed('clientDisconnect', error, client)
    }
  })
  // Revoked credentials end the device's open sessions too, not only its next CONNECT. A
  // session that authenticated just before the revocation but is not ready yet (aedes emits
  // clientReady after the CONNACK) is closed when it becomes ready.
  const revokedAt = new Map<string, number>()
  bus.on('deviceRevoked', (deviceId) => {
    revokedAt.set(deviceId, performance.now())
    for (const client of sessions.get(deviceId) ?? []) client.close()
  })
  broker.on('clientError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'client error'))
  broker.on('connectionError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'connection error'))
  return broker
}
