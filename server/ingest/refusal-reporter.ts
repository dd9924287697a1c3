import type { DeviceRefusal, EventBus } from '../event-bus.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import { errorsTopic } from '../domain/native-topics.ts'
import type { Refusal } from './validate.ts'

const RELOG_AFTER_MS = 3_600_000
const MESSAGES_PER_PAYLOAD = 10
const RECENT_PER_DEVICE = 20

/**
 * Tells a device why its payload was refused (JSON on its own errors topic), counts the
 * refusal, and logs it once per device and reason an hour, so a misconfigured firmware
 * sending ten times a second cannot flood the log.
 */
export class RefusalReporter {
  private readonly lastLogged = new Map<string, { time: number, suppressed: number }>()
  private readonly recentByDevice = new Map<string, DeviceRefusal[]>()

  constructor (
    private readonly publish: (topic: string, payload: string) => void,
    private readonly log: Log,
    private readonly metrics: HubMetrics,
    private readonly bus: EventBus,
    private readonly clock: () => number = Date.now
  ) {}

  /** `failure` is what a decoder threw (PROCESSING_FAILED): logged with its stack, never sent to the device. */
  report (device: DeviceIdentity, topic: string, refusals: readonly Refusal[], failure?: unknown): void {
    const time = this.clock()
    for (const refusal of refusals) this.metrics.readingsRefused.inc({ code: refusal.code })
    const distinct = [...new Map(refusals.map((r) => [`${r.code}\u0000${r.message}`, r])).values()]
    for (const refusal of distinct.slice(0, MESSAGES_PER_PAYLOAD)) {
      const message: DeviceRefusal = { device: device.id, member: device.member, code: refusal.code, message: refusal.message, topic, time }
      this.publish(errorsTopic(device.member, device.id), JSON.stringify({ code: refusal.code, message: refusal.message, topic, time }))
      this.remember(message)
      this.bus.emit('refusal', message)
      this.logOnce(message, refusal.code === 'PROCESSING_FAILED' ? failure : undefined)
    }
  }

  /** The last refusals sent to a device, newest first (shown on its onboarding page). */
  recent (deviceId: string): readonly DeviceRefusal[] {
    return this.recentByDevice.get(deviceId) ?? []
  }

  private remember (refusal: DeviceRefusal): void {
    const list = this.recentByDevice.get(refusal.device) ?? []
    list.unshift(refusal)
    list.length = Math.min(list.length, RECENT_PER_DEVICE)
    this.recentByDevice.set(refusal.device, list)
  }

  private logOnce (refusal: DeviceRefusal, failure: unknown): void {
    const key = `${refusal.device}\u0000${refusal.code}`
    const last = this.lastLogged.get(key)
    if (last !== undefined && refusal.time - last.time < RELOG_AFTER_MS) {
      last.suppressed++
      return
    }
    this.lastLogged.set(key, { time: refusal.time, suppressed: 0 })
    const fields = { device: refusal.device, code: refusal.code, topic: refusal.topic, suppressedSinceLast: last?.suppressed ?? 0 }
    if (failure === undefined) this.log.warn(fields, refusal.message)
    else this.log.error({ ...fields, err: failure }, refusal.message)
  }
}
