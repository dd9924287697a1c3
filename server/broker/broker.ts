import { Aedes, type AuthenticateError, type Client } from 'aedes'
import type { EventBus } from '../event-bus.ts'
import type { Activity } from '../ingest/activity.ts'
import type { DeviceIdentity } from '../ingest/formats/format.ts'
import { forgetDevice } from '../ingest/formats/discovery.ts'
import { formats } from '../ingest/formats/index.ts'
import type { IngestPipeline } from '../ingest/pipeline.ts'
import { filterWithin } from '../ingest/topic-filter.ts'
import { PubackWriter, installFastPath } from './publish-fast-path.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'

export interface BrokerDeps {
  authenticate: (deviceId: string, token: string) => DeviceIdentity | undefined
  pipeline: IngestPipeline
  activity: Activity
  bus: EventBus
  metrics: HubMetrics
  log: Log
}

// Where a refused PUBLISH is sent instead of its topic: `$`-topics are never matched by a
// device's wildcard subscription [MQTT-4.7.2-1], and no device may subscribe to it.
const REFUSED_SINK = '$tsudoi/refused'

const identities = new WeakMap<Client, DeviceIdentity>()
const authenticatedAt = new WeakMap<Client, number>()
const emptyClientIds = new WeakSet<Client>()

function connectError (returnCode: 2 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError
}

/** The embedded Aedes broker with Tsudoi's identity, ACL and ingest hooks. It listens on nothing itself. */
export async function createBroker (deps: BrokerDeps): Promise<Aedes> {
  const { pipeline, metrics, log, activity, bus } = deps
  const acks = new PubackWriter()
  // Devices that asked to subscribe since the hub started (aedes' persistence is in memory):
  // only their PUBLISHes can have a reader, so only theirs need the broker's forwarding.
  const subscribers = new Set<string>()
  const broker = await Aedes.createBroker({
    // [MQTT-3.1.3-8]: an empty client id needs a clean session; remember it for authenticate.
    preConnect (client, packet, callback) {
      if (packet.clientId === '') emptyClientIds.add(client)
      callback(null, true)
    },
    authenticate (client, username, password, done) {
      if (emptyClientIds.has(client) && !client.clean) {
        metrics.connectRefused.inc({ code: 'CLIENT_ID_REQUIRED' })
        return done(connectError(2, 'an empty client id needs clean session'), false)
      }
      const identity = username === undefined || password === undefined
        ? undefined
        : deps.authenticate(username, password.toString('utf8'))
      if (identity === undefined) {
        metrics.connectRefused.inc({ code: 'BAD_CREDENTIALS' })
        log.info({ username, clientId: client.id }, 'connection refused: unknown device or wrong token')
        return done(connectError(5, 'not authorized'), false)
      }
      identities.set(client, identity)
      authenticatedAt.set(client, performance.now())
      done(null, true)
    },
    authorizePublish (client, packet, callback) {
      const identity = client === null ? undefined : identities.get(client)
      // A will left by a session whose client is gone cannot be attributed to a device.
      if (identity === undefined) return callback(new Error('publisher has no identity'))
      const conn = client!.conn as { cork?: () => void, uncork?: () => void }
      const verdict = pipeline.handle(identity, packet.topic, packet.payload as Buffer, packet.qos, (error) => {
        // A commit answers many publishes of one connection at once: corked, their PUBACKs
        // leave in one write instead of one syscall each.
        conn.cork?.()
        acks.flush(client!)
        callback(error)
        process.nextTick(() => conn.uncork?.())
      })
      if (!verdict.allowed) {
        // aedes has no "refuse but stay connected" for PUBLISH in MQTT 3.1.1 (an error here
        // drops the connection), so the packet is acknowledged and diverted to a sink nobody reads.
        packet.topic = REFUSED_SINK
        packet.retain = false
      }
    },
    authorizeSubscribe (client, subscription, callback) {
      const identity = identities.get(client)
      if (identity !== undefined) subscribers.add(identity.id)
      const allowed = identity !== undefined && formats[identity.format].subscribeFilters(identity)
        .some((filter) => filterWithin(subscription.topic, filter))
      if (!allowed) {
        metrics.subscribeRefused.inc()
        log.info({ device: identity?.id, topic: subscription.topic }, 'subscription refused')
        return callback(null, null) // SUBACK failure 0x80 [MQTT-3.9.3], connection kept
      }
      callback(null, subscription)
    }
  })

  // The open connections of each device (one device may hold several).
  const sessions = new Map<string, Set<Client>>()
  broker.on('clientReady', (client) => {
    const identity = identities.get(client)
    metrics.connections.inc()
    if (identity === undefined) return
    installFastPath(client, identity, { pipeline, subscribers }, acks)
    sessions.set(identity.id, (sessions.get(identity.id) ?? new Set()).add(client))
    if ((authenticatedAt.get(client) ?? 0) <= (revokedAt.get(identity.id) ?? -1)) client.close()
    if (activity.connected(identity.id) === 1) {
      bus.emit('deviceStatus', { id: identity.id, member: identity.member, online: true, lastSeen: Date.now() })
    }
  })
  broker.on('clientDisconnect', (client) => {
    const identity = identities.get(client)
    metrics.connections.dec()
    if (identity === undefined) return
    sessions.get(identity.id)?.delete(client)
    if (sessions.get(identity.id)?.size === 0) sessions.delete(identity.id)
    if (activity.disconnected(identity.id) === 0) {
      bus.emit('deviceStatus', { id: identity.id, member: identity.member, online: false, lastSeen: activity.lastSeen(identity.id) ?? null })
    }
  })
  // Revoked credentials end the device's open sessions too, not only its next CONNECT. A
  // session that authenticated just before the revocation but is not ready yet (aedes emits
  // clientReady after the CONNACK) is closed when it becomes ready.
  const revokedAt = new Map<string, number>()
  bus.on('deviceRevoked', (deviceId) => {
    forgetDevice(deviceId)
    revokedAt.set(deviceId, performance.now())
    for (const client of sessions.get(deviceId) ?? []) client.close()
  })
  broker.on('clientError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'client error'))
  broker.on('connectionError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'connection error'))
  return broker
}
