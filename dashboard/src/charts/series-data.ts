import type { SeriesPoint } from '../api/schemas.ts'

// A member's own series, kept current from live readings between fetches. Buckets start on
// multiples of the bucket size since the epoch, as the hub aligns them (server/store/buckets.ts),
// so a live reading lands in the same bucket the next fetch would put it in.
export function mergeReading (points: SeriesPoint[], time: number, value: number, bucketMs: number): SeriesPoint[] {
  const start = Math.floor(time / bucketMs) * bucketMs
  const index = points.findIndex((p) => p.time === start)
  if (index >= 0) {
    const p = points[index]!
    const count = p.count + 1
    const merged = { time: start, mean: p.mean + (value - p.mean) / count, min: Math.min(p.min, value), max: Math.max(p.max, value), count }
    return points.map((q, i) => i === index ? merged : q)
  }
  const next = [...points, { time: start, mean: value, min: value, max: value, count: 1 }]
  return next.sort((a, b) => a.time - b.time)
}

/** Drops buckets that slid out of a live window. */
export const within = (points: SeriesPoint[], from: number): SeriesPoint[] => points.filter((p) => p.time + 1 > from)

export interface SeriesFacts { latest?: number, min?: number, max?: number }

export function seriesFacts (points: readonly SeriesPoint[]): SeriesFacts {
  const last = points[points.length - 1]
  if (last === undefined) return {}
  return {
    latest: last.mean,
    min: Math.min(...points.map((p) => p.min)),
    max: Math.max(...points.map((p) => p.max))
  }
}

const BUCKETS: Array<[number, string]> = [
  [60_000, '1m'], [300_000, '5m'], [600_000, '10m'], [900_000, '15m'], [1_800_000, '30m'],
  [3_600_000, '1h'], [10_800_000, '3h'], [21_600_000, '6h'], [43_200_000, '12h'], [86_400_000, '1d']
]

/**
 * The smallest bucket size the API accepts that gives at most `maxPoints` over a window.
 * Own data: up to 180 points (1 h → 1 min, 24 h → 10 min). Comparisons: up to 30, because a
 * bucket is shown only when k members reported within it, and devices that report every few
 * minutes rarely all land in the same minute (24 h → 1 h, 7 d → 6 h, 30 d → 1 d).
 */
export function bucketFor (spanMs: number, maxPoints = 180): { ms: number, text: string } {
  const [ms, text] = BUCKETS.find(([size]) => spanMs / size <= maxPoints) ?? BUCKETS[BUCKETS.length - 1]!
  return { ms, text }
}

/**
 * Chart points with a break where the device sent nothing for a while: a line drawn across
 * an outage would suggest readings that never came. Shorter holes (a bucket or two without a
 * reading at a slow reporting rate) stay joined.
 */
export function withBreaks (points: readonly SeriesPoint[], bucketMs: number, pick: (p: SeriesPoint) => number): Array<{ x: number, y: number | null }> {
  const out: Array<{ x: number, y: number | null }> = []
  let previous: number | undefined
  for (const p of points) {
    if (previous !== undefined && p.time - previous > GAP_BUCKETS * bucketMs) out.push({ x: previous + bucketMs, y: null })
    out.push({ x: p.time, y: pick(p) })
    previous = p.time
  }
  return out
}
const GAP_BUCKETS = 6
