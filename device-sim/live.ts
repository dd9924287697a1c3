import type { SimClock } from './clock.ts'
import type { DeviceFaults } from './faults.ts'
import type { DeviceLink } from './link.ts'
import { type Stamped, backlogPublications, livePublications } from './payloads.ts'
import { hashString, hashUnit } from './random.ts'
import type { SimStats } from './stats.ts'

// One device reporting live: a reading every `interval` of simulated time, at a phase of
// its own (devices switched on at different moments do not all publish in the same
// millisecond), with the faults it was dealt.

/** Readings a device can keep while offline (an ESP32 with a few hundred kB for them). */
const MAX_BACKLOG = 5000

export interface LiveSettings {
  seed: number
  interval: number
  qos: 0 | 1 | 2
  batch: number
  connectTimeout: number
}

export async function runLive (
  link: DeviceLink, faults: DeviceFaults, clock: SimClock, settings: LiveSettings, stats: SimStats, signal: AbortSignal
): Promise<void> {
  const { interval } = settings
  const phase = Math.floor(hashUnit(hashString(`${settings.seed}:${link.device.id}:phase`), 0) * interval)
  let next = Math.ceil((clock.now() - phase) / interval) * interval + phase
  let backlog: Stamped[] = []
  let offlineFor = 0

  while (await clock.sleepUntil(next, signal)) {
    const time = next
    next += interval
    const dropped = faults.dropouts(link.device.sampler.sample(time))
    stats.dropoutsStarted += dropped.started
    stats.dropoutSkipped += dropped.skipped
    const values = dropped.values
    const deviceTime = faults.deviceTime(time)
    if (deviceTime !== undefined) stats.skewedReadings += Object.keys(values).length

    if (offlineFor > 0) {
      backlog.push({ ts: deviceTime ?? time, values })
      if (backlog.length > MAX_BACKLOG) backlog.shift() // the firmware's ring buffer is full: the oldest go
      offlineFor--
      if (offlineFor === 0) offlineFor = await comeBack(link, backlog, settings, stats)
      if (offlineFor === 0) backlog = []
      continue
    }
    const outage = faults.outage()
    if (outage > 0) {
      // The link dies with this reading still in the device's buffer.
      link.dropAbruptly()
      stats.outages++
      offlineFor = outage
      backlog = [{ ts: deviceTime ?? time, values }]
      continue
    }
    // Readings carry their own time only when the hub's clock would be wrong for them.
    const ts = deviceTime ?? (clock.replaying() ? time : undefined)
    for (const publication of livePublications(link.device, values, ts)) {
      stats.readingsLive += publication.readings
      void link.publish(publication.topic, publication.payload, settings.qos)
    }
    const malformed = faults.malformed(() => link.device.sampler.sample(time))
    if (malformed !== undefined) {
      stats.countMalformed(malformed.kind)
      void link.publish(malformed.topic, malformed.payload, settings.qos)
    }
  }
}

/** Reconnects and sends what was buffered; returns 1 to retry at the next reading when the hub is still unreachable. */
async function comeBack (link: DeviceLink, backlog: readonly Stamped[], settings: LiveSettings, stats: SimStats): Promise<number> {
  try {
    await link.open(settings.connectTimeout)
  } catch {
    return 1
  }
  for (const publication of backlogPublications(link.device, backlog, settings.batch)) {
    stats.readingsBacklog += publication.readings
    stats.backlogMessages++
    // QoS 1 whatever --qos says: a firmware that kept its data through an outage wants it acknowledged.
    void link.publish(publication.topic, publication.payload, 1)
  }
  return 0
}
