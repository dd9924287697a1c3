import { errorCatalogue } from '../errors.ts'
import type { EventBus } from '../event-bus.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'
import type { Reading } from '../domain/reading.ts'
import type { Activity } from './activity.ts'
import { type DecodeContext, type DecodeOutcome, decodePublish, isRoutable } from './decode.ts'
import type { LearnedDiscovery } from './formats/discovery.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import type { GroupCommitter } from './group-commit.ts'
import type { MetricCardinality } from './metric-cardinality.ts'
import type { RefusalReporter } from './refusal-reporter.ts'
import type { Refusal } from './validate.ts'

export interface IngestDeps {
  committer: GroupCommitter
  reporter: RefusalReporter
  activity: Activity
  bus: EventBus
  metrics: HubMetrics
  maxPayload: number
  /** The hub's memory of what its devices announced through Home Assistant discovery. */
  discovery: LearnedDiscovery
  /** Caps the distinct metrics per device; none means no cap. */
  cardinality?: MetricCardinality
  /** Where a failure that could not be reported to the device is logged. */
  log?: Log
  clock?: () => number
}

export interface IngestVerdict {
  /** False when the topic itself was refused (not the device's to publish): the broker must not route it. */
  allowed: boolean
  /** What was refused in it (the errors topic got each), for an MQTT 5 PUBACK's reason code (server/broker/mqtt5.ts). */
  refusals?: readonly Refusal[]
  /** Readings of it that are being stored. */
  kept?: number
}

const PROCESSING_FAILED: Refusal = { code: 'PROCESSING_FAILED', message: errorCatalogue.PROCESSING_FAILED.message }

/**
 * One PUBLISH from an authenticated device: decode, refuse what is wrong (telling the device),
 * and hand the good readings to the group committer. `done` fires once they are durable, and
 * only then may the broker acknowledge — the PUBACK promise of docs/architecture.md ("An acknowledgement means durable").
 *
 * `handle` never throws: it runs inside the socket's read handler (the fast path) or aedes'
 * authorizePublish, where an exception stops the process. Whatever fails while handling one
 * packet refuses that packet (PROCESSING_FAILED, logged with its stack), keeps the connection,
 * and still acknowledges it (issue 12, item 1).
 */
export class IngestPipeline {
  private readonly clock: () => number
  // Labelled children looked up once: the counter is bumped for every PUBLISH.
  private readonly publishesByQos: Array<{ inc: () => void }>
  private readonly decodeContext: DecodeContext

  constructor (private readonly deps: IngestDeps) {
    this.clock = deps.clock ?? Date.now
    this.decodeContext = { maxPayload: deps.maxPayload, discovery: deps.discovery }
    this.publishesByQos = [0, 1, 2].map((qos) => deps.metrics.publishes.labels(String(qos)))
  }

  handle (device: DeviceIdentity, topic: string, payload: Buffer, qos: number, done: (error: Error | null) => void): IngestVerdict {
    const { metrics, committer } = this.deps
    this.publishesByQos[qos]?.inc()
    metrics.pendingPublishes.inc()
    const outcome = decodePublish(device, topic, payload, this.clock(), this.decodeContext)
    let readings: Reading[] = []
    let refusals: Refusal[] = outcome.refusals
    try {
      readings = this.admit(device, topic, outcome)
    } catch (error) {
      readings = []
      refusals = [PROCESSING_FAILED]
      this.report(device, topic, { accepted: [], refusals, failure: error })
    }
    // Refused and empty publishes go through the committer too, so acknowledgements keep
    // their order and a flood of them cannot recurse through aedes' parser (moscajs/aedes#193).
    committer.submit(readings, (error) => this.committed(device, readings, error, done))
    return { allowed: isRoutable(outcome), refusals, kept: readings.length }
  }

  /** Reports the refusals, announces a status, and gives the readings to store. */
  private admit (device: DeviceIdentity, topic: string, outcome: DecodeOutcome): Reading[] {
    let accepted = outcome.accepted
    const refusals = outcome.refusals
    if (this.deps.cardinality !== undefined && accepted.length > 0) {
      const admitted = this.deps.cardinality.admit(device.id, accepted)
      accepted = admitted.kept
      if (admitted.refusals.length > 0) refusals.push(...admitted.refusals)
    }
    if (refusals.length > 0) this.report(device, topic, outcome)
    if (outcome.status !== undefined) {
      this.deps.bus.emit('deviceStatus', { id: device.id, member: device.member, online: outcome.status === 'online', lastSeen: this.clock() })
    }
    return accepted.map((a) => ({
      time: a.time, member: device.member, device: device.id, sector: device.sector, metric: a.metric, value: a.value
    }))
  }

  private report (device: DeviceIdentity, topic: string, outcome: DecodeOutcome): void {
    try {
      this.deps.reporter.report(device, topic, outcome.refusals, outcome.failure)
    } catch (error) {
      this.deps.log?.error({ err: error, device: device.id, topic }, 'could not report a refusal')
    }
  }

  private committed (device: DeviceIdentity, readings: readonly Reading[], error: Error | null, done: (error: Error | null) => void): void {
    const { metrics, activity, bus } = this.deps
    metrics.pendingPublishes.dec()
    if (error === null && readings.length > 0) {
      try {
        metrics.readingsAccepted.inc(readings.length)
        activity.countReadings(readings.length, device.id)
        bus.emit('readings', readings)
      } catch (failure) {
        this.deps.log?.error({ err: failure, device: device.id }, 'bookkeeping after a commit failed; the readings are stored')
      }
    }
    try {
      done(error)
    } catch (failure) {
      // The broker's own acknowledgement threw; the group commit must still answer the others.
      this.deps.log?.error({ err: failure, device: device.id }, 'acknowledging a publish failed')
    }
  }
}
