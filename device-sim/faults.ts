import type { SimDevice } from './community.ts'
import { type Malformed, malformedPayload } from './malformed.ts'
import type { FaultRates } from './options.ts'
import type { Values } from './payloads.ts'
import { type Rng, rngFor } from './random.ts'

// The faults one device suffers, decided by seeded streams (one per fault, so turning one
// fault on does not change when the others happen). Field experience behind each:
// - dropout: a sensor stops answering on its bus (loose I²C wire, a DHT22 that hangs) for
//   a few readings while the others carry on;
// - offline-backlog: Wi-Fi or power lost for a while; the firmware keeps readings with their
//   time and sends them as one backlog array when it is back;
// - clock-skew: an RTC that drifts (minutes off) or, worse, never got NTP and stamps
//   readings with the time since boot — which the hub must refuse (TIMESTAMP_TOO_OLD);
// - malformed: see malformed.ts.

export interface ClockFault { kind: 'skewed' | 'unsynced', offsetMs: number }

export class DeviceFaults {
  private readonly dropoutRng: Rng
  private readonly outageRng: Rng
  private readonly malformedRng: Rng
  /** Metric → readings it stays silent for. */
  private readonly silent = new Map<string, number>()
  readonly clock: ClockFault | undefined
  private readonly bootedAt: number

  constructor (seed: number, private readonly device: SimDevice, private readonly rates: FaultRates, startTime: number) {
    this.dropoutRng = rngFor(seed, `${device.id}:dropout`)
    this.outageRng = rngFor(seed, `${device.id}:outage`)
    this.malformedRng = rngFor(seed, `${device.id}:malformed`)
    const clockRng = rngFor(seed, `${device.id}:clock`)
    const skewed = clockRng.chance(rates['clock-skew'] ?? 0)
    const unsynced = clockRng.chance(0.25)
    const offset = (clockRng.chance(0.5) ? 1 : -1) * clockRng.between(20_000, 15 * 60_000)
    this.clock = skewed ? { kind: unsynced ? 'unsynced' : 'skewed', offsetMs: offset } : undefined
    this.bootedAt = startTime - clockRng.between(60_000, 6 * 3_600_000)
  }

  /** The time the device's own clock shows; undefined when it is right (it then sends no `ts`). */
  deviceTime (time: number): number | undefined {
    if (this.clock === undefined) return undefined
    return this.clock.kind === 'unsynced' ? Math.round(time - this.bootedAt) : Math.round(time + this.clock.offsetMs)
  }

  /** Leaves out the metrics whose sensor is silent now; returns how many were left out. */
  dropouts (values: Values): { values: Values, started: number, skipped: number } {
    const rate = this.rates.dropout ?? 0
    let started = 0
    if (rate > 0 && this.dropoutRng.chance(rate)) {
      const metric = this.dropoutRng.pick(Object.keys(values).length > 0 ? Object.keys(values) : this.device.kind.metrics)
      if (!this.silent.has(metric)) started++
      this.silent.set(metric, this.dropoutRng.int(3, 30))
    }
    if (this.silent.size === 0) return { values, started, skipped: 0 }
    const kept: Values = {}
    let skipped = 0
    for (const [metric, value] of Object.entries(values)) {
      const left = this.silent.get(metric)
      if (left === undefined) {
        kept[metric] = value
        continue
      }
      skipped++
      if (left <= 1) this.silent.delete(metric)
      else this.silent.set(metric, left - 1)
    }
    return { values: kept, started, skipped }
  }

  /** Readings the device stays away for if it loses its link now; 0 when it does not. */
  outage (): number {
    const rate = this.rates['offline-backlog'] ?? 0
    return rate > 0 && this.outageRng.chance(rate) ? this.outageRng.int(3, 40) : 0
  }

  malformed (values: () => Values): Malformed | undefined {
    const rate = this.rates.malformed ?? 0
    if (!(rate > 0 && this.malformedRng.chance(rate))) return undefined
    return malformedPayload(this.device, values(), this.malformedRng.next())
  }
}
