import type { Accepted, Refusal } from './validate.ts'

/** One (device, metric) series the store already holds. */
export interface KnownSeries { device: string, metric: string }

/**
 * Caps the distinct metrics of each device (`TSUDOI_MAX_METRICS_PER_DEVICE`). Every metric is
 * a series in the store, a row in every listing and a candidate in every comparison: one
 * device once created 200,000 of them in 65 s (+180 MB, `/api/community` 1.6 s for everyone;
 * issue 12, item 5). Past the cap a new metric is refused as TOO_MANY_METRICS while readings
 * of the device's known metrics keep flowing. Seeded from the store's series at start, so a
 * restart does not reset the count; a deleted device is forgotten.
 */
export class MetricCardinality {
  private readonly byDevice = new Map<string, Set<string>>()

  constructor (private readonly maxPerDevice: number) {}

  /** Adds the series the store already holds (at start). */
  seed (series: Iterable<KnownSeries>): void {
    for (const { device, metric } of series) this.metricsOf(device).add(metric)
  }

  /** The readings that may be stored; a refusal for each new metric past the cap. */
  admit (device: string, accepted: readonly Accepted[]): { kept: Accepted[], refusals: Refusal[] } {
    const metrics = this.metricsOf(device)
    const kept: Accepted[] = []
    const refused = new Set<string>()
    for (const reading of accepted) {
      if (metrics.has(reading.metric)) {
        kept.push(reading)
      } else if (metrics.size < this.maxPerDevice) {
        metrics.add(reading.metric)
        kept.push(reading)
      } else {
        refused.add(reading.metric)
      }
    }
    const refusals: Refusal[] = [...refused].map((metric) => ({
      code: 'TOO_MANY_METRICS',
      message: `${metric}: device ${device} already has ${this.maxPerDevice} metrics, the most the hub keeps per device (TSUDOI_MAX_METRICS_PER_DEVICE)`
    }))
    return { kept, refusals }
  }

  /** How many distinct metrics a device has. */
  count (device: string): number {
    return this.byDevice.get(device)?.size ?? 0
  }

  /** Forgets a deleted device: a device created again under its id starts from none. */
  forget (device: string): void {
    this.byDevice.delete(device)
  }

  private metricsOf (device: string): Set<string> {
    let metrics = this.byDevice.get(device)
    if (metrics === undefined) this.byDevice.set(device, metrics = new Set())
    return metrics
  }
}
