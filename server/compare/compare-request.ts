import { z } from 'zod'
import { METRIC_NAME } from '../ingest/metric-catalog.ts'
import { sectors } from '../registry/sectors.ts'
import { floorTo } from '../store/buckets.ts'
import { perValues } from './normalize.ts'

// What a comparison may be asked for. The HTTP layer turns query strings into these numbers;
// the service parses again so that no caller (stream, export, CLI) can skip the checks.

/** A window of more buckets than this is refused: each is a row per member in the store. */
export const MAX_BUCKETS = 10_000
const DAY_MS = 86_400_000

export const compareRequestSchema = z.object({
  metric: z.string().regex(METRIC_NAME, 'metric name must match [a-z][a-z0-9_]{0,63}'),
  sector: z.enum(sectors).optional(),
  /** epoch ms */
  from: z.number().int().min(0),
  /** epoch ms, exclusive */
  to: z.number().int().min(0),
  bucketMs: z.number().int().min(1000).max(366 * DAY_MS),
  per: z.enum(perValues).optional(),
  caller: z.string().min(1).optional()
})
  .refine((r) => r.to > r.from, { error: 'to must be after from', path: ['to'] })
  .refine((r) => bucketWindow(r.from, r.to, r.bucketMs).times.length <= MAX_BUCKETS,
    { error: `a window holds at most ${MAX_BUCKETS} buckets`, path: ['bucketMs'] })

export type CompareRequest = z.input<typeof compareRequestSchema>

export interface BucketWindow { from: number, to: number, times: number[] }

/**
 * The window widened to whole buckets, aligned to the epoch as the store aligns them.
 * `from` moves back to its bucket's start (the store does the same); `to` moves forward to the
 * end of its bucket, which only adds readings stamped in the future. Aligning both is what lets
 * a room full of phones asking for "the last 24 h" at slightly different instants share one
 * cached store query.
 */
export function bucketWindow (from: number, to: number, bucketMs: number): BucketWindow {
  const start = floorTo(from, bucketMs)
  const end = Math.ceil(to / bucketMs) * bucketMs
  const count = Math.max(0, Math.min((end - start) / bucketMs, MAX_BUCKETS + 1))
  return { from: start, to: end, times: Array.from({ length: count }, (_, i) => start + i * bucketMs) }
}
