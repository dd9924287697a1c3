import type { Reading } from '../../server/domain/reading.ts'
import { SECTORS } from '../lib/hub-api.ts'

// The query data set: members × devices × metrics at a fixed step over a span ending now.
// Member ids and sectors follow HubApi.provision('q', …) so the registry can be filled to match.

export const DATASET_METRICS = ['temperature', 'humidity', 'co2'] as const
export const DATASET_PREFIX = 'q'
const DAY = 86_400_000

export interface DatasetPlan { members: number, devicesPerMember: number, days: number, stepMs: number, extraMs: number }

export interface Dataset { plan: DatasetPlan, from: number, to: number, readings: number, series: number }

export function describe (plan: DatasetPlan): Dataset {
  const to = Math.floor(Date.now() / plan.stepMs) * plan.stepMs
  const from = to - plan.days * DAY - plan.extraMs
  const steps = Math.floor((to - from) / plan.stepMs)
  const series = plan.members * plan.devicesPerMember * DATASET_METRICS.length
  return { plan, from, to, readings: steps * series, series }
}

/** The readings in time order, `batch` at a time (ready for a store's append()). */
export function * batches (dataset: Dataset, batch: number): Generator<Reading[]> {
  const { plan } = dataset
  let out: Reading[] = []
  for (let time = dataset.from + plan.stepMs; time <= dataset.to; time += plan.stepMs) {
    const day = Math.sin((2 * Math.PI * (time % DAY)) / DAY)
    for (let m = 0; m < plan.members; m++) {
      const member = `${DATASET_PREFIX}m${m}`
      const sector = SECTORS[m % SECTORS.length]!
      for (let d = 0; d < plan.devicesPerMember; d++) {
        const device = `${member}-d${d}`
        const wobble = Math.sin(time / 997_000 + m * 7 + d) // deterministic noise
        out.push(
          { time, member, device, sector, metric: 'temperature', value: round(20 + m * 0.1 + 4 * day + wobble) },
          { time, member, device, sector, metric: 'humidity', value: round(50 + 10 * day + 3 * wobble) },
          { time, member, device, sector, metric: 'co2', value: round(600 + 200 * day + 50 * wobble + m) }
        )
        if (out.length >= batch) { yield out; out = [] }
      }
    }
  }
  if (out.length > 0) yield out
}

const round = (x: number): number => Math.round(x * 1000) / 1000
