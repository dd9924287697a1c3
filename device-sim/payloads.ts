import type { SimDevice } from './community.ts'
import { metricTopic, telemetryTopic } from './topics.ts'

// What a device puts on the wire in Tsudoi's native format (server/ingest/formats/native.ts):
// a JSON object on …/telemetry, a plain number on …/<metric>, or — after an outage or for
// history — an array of timestamped objects (a backlog).

export type Values = Record<string, number>
export interface Publication { topic: string, payload: string, readings: number }
export interface Stamped { ts: number, values: Values }

/**
 * One reading of a device as it publishes it live. A `plain` device sends one message per
 * metric; a reading that must carry its own time (a replayed or skewed clock) goes as JSON,
 * since a bare number has nowhere to put a timestamp.
 */
export function livePublications (device: SimDevice, values: Values, ts?: number): Publication[] {
  const metrics = Object.keys(values)
  if (metrics.length === 0) return []
  if (device.format === 'plain' && ts === undefined) {
    return metrics.map((metric) => ({ topic: metricTopic(device, metric), payload: String(values[metric]), readings: 1 }))
  }
  const body = ts === undefined ? values : { ...values, ts }
  return [{ topic: telemetryTopic(device), payload: JSON.stringify(body), readings: metrics.length }]
}

/** Timestamped readings as backlog arrays of at most `batch` objects each. */
export function backlogPublications (device: SimDevice, entries: readonly Stamped[], batch: number): Publication[] {
  const out: Publication[] = []
  for (let i = 0; i < entries.length; i += batch) {
    const slice = entries.slice(i, i + batch).filter((e) => Object.keys(e.values).length > 0)
    if (slice.length === 0) continue
    const body = slice.map((e) => ({ ...e.values, ts: e.ts }))
    const readings = slice.reduce((sum, e) => sum + Object.keys(e.values).length, 0)
    out.push({ topic: telemetryTopic(device), payload: JSON.stringify(body), readings })
  }
  return out
}
