import type { DeviceLink } from './link.ts'
import { type Stamped, backlogPublications } from './payloads.ts'
import type { SimStats } from './stats.ts'

// History before going live: every device publishes [from, to) at `step`, as backlog arrays
// of `batch` readings, QoS 1. A few messages stay in flight per device, so the pace is set by
// the hub's acknowledgements — and the hub acknowledges only once a reading is durable
// (docs/architecture.md), so the simulator can never outrun the store.

export interface BackfillPlan { from: number, to: number, step: number, batch: number, window: number }

/** The timestamps a backfill covers, aligned to `step` so reruns land on the same instants. */
export function backfillTimes (plan: Pick<BackfillPlan, 'from' | 'to' | 'step'>): number[] {
  const times: number[] = []
  for (let t = Math.ceil(plan.from / plan.step) * plan.step; t < plan.to; t += plan.step) times.push(t)
  return times
}

export async function backfillDevice (link: DeviceLink, plan: BackfillPlan, stats: SimStats, signal: AbortSignal): Promise<void> {
  const times = backfillTimes(plan)
  const inFlight = new Set<Promise<unknown>>()
  for (let i = 0; i < times.length && !signal.aborted; i += plan.batch) {
    const entries: Stamped[] = times.slice(i, i + plan.batch).map((ts) => ({ ts, values: link.device.sampler.sample(ts) }))
    for (const publication of backlogPublications(link.device, entries, plan.batch)) {
      while (inFlight.size >= plan.window) await Promise.race(inFlight)
      if (signal.aborted) break
      const sent = link.publish(publication.topic, publication.payload, 1)
      stats.backfillMessages++
      stats.readingsBackfill += publication.readings
      const tracked = sent.finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
    }
    stats.backfillDone += entries.length
  }
  await Promise.all(inFlight)
}
