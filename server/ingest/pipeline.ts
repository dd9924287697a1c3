import type { EventBus } from '../event-bus.ts'
import type { HubMetrics } from '../metrics.ts'
import type { Reading } from '../store/reading-store.ts'
import type { Activity } from './activity.ts'
import { decodePublish } from './decode.ts'
import type { DeviceIdentity } from './formats/format.ts'
import type { GroupCommitter } from './group-commit.ts'
import type { RefusalReporter } from './refusal-reporter.ts'

export interface IngestDeps {
  committer: GroupCommitter
  reporter: RefusalReporter
  activity: Activity
  bus: EventBus
  metrics: HubMetrics
  maxPayload: number
  clock?: () => number
}

export interface IngestVerdict {
  /** False when the topic itself was refused (not the device's, or not part of its format): the broker must not forward it. */
  allowed: boolean
}

/**
 * One PUBLISH from an authenticated device: decode, refuse what is wrong (telling the device),
 * and hand the good readings to the group committer. `done` fires once they are durable, and
 * only then may the broker acknowledge — the PUBACK promise of DESIGN.md.
 */
export class IngestPipeline {
  private readonly clock: () => number
  // Labelled children looked up once: the counter is bumped for every PUBLISH.
  private readonly publishesByQos: Array<{ inc: () => void }>

  constructor (private readonly deps: IngestDeps) {
    this.clock = deps.clock ?? Date.now
    this.publishesByQos = [0, 1, 2].map((qos) => deps.metrics.publishes.labels(String(qos)))
  }

  handle (device: DeviceIdentity, topic: string, payload: Buffer, qos: number, done: (error: Error | null) => void): IngestVerdict {
    const { metrics, reporter, committer, bus, activity } = this.deps
    this.publishesByQos[qos]?.inc()
    metrics.pendingPublishes.inc()
    const outcome = decodePublish(device, topic, payload, this.clock(), this.deps.maxPayload)
    if (outcome.refusals.length > 0) reporter.report(device, topic, outcome.refusals)
    if (outcome.status !== undefined) {
      bus.emit('deviceStatus', { id: device.id, member: device.member, online: outcome.status === 'online', lastSeen: this.clock() })
    }
    const readings: Reading[] = outcome.accepted.map((a) => ({
      time: a.time, member: device.member, device: device.id, sector: device.sector, metric: a.metric, value: a.value
    }))
    // Refused and empty publishes go through the committer too, so acknowledgements keep
    // their order and a flood of them cannot recurse through aedes' parser (moscajs/aedes#193).
    committer.submit(readings, (error) => {
      metrics.pendingPublishes.dec()
      if (error === null && readings.length > 0) {
        metrics.readingsAccepted.inc(readings.length)
        activity.countReadings(readings.length, device.id)
        bus.emit('readings', readings)
      }
      done(error)
    })
    return { allowed: !outcome.refusals.some((r) => r.code === 'TOPIC_NOT_ALLOWED' || r.code === 'UNKNOWN_TOPIC') }
  }
}
