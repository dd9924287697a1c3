import { z } from 'zod'
import { METRIC_NAME } from '../domain/metric-catalog.ts'
import { sectors } from '../domain/sectors.ts'
import { perValues } from './normalize.ts'
import { GRID_MS, gridSizeOf } from './release/local-grid.ts'

// What a comparison may be asked for. The HTTP layer turns query strings into these numbers;
// the service parses again so that no caller (stream, export, CLI) can skip the checks.
// Bucket sizes are the release grid's only (issue 13): any other size would be a new cut of
// the data, and `2h` against `1h` isolated a member whose hour was suppressed.

/** A window of more buckets than this is refused. */
export const MAX_BUCKETS = 10_000

export const compareRequestSchema = z.object({
  metric: z.string().regex(METRIC_NAME, 'metric name must match [a-z][a-z0-9_]{0,63}'),
  sector: z.enum(sectors).optional(),
  /** epoch ms */
  from: z.number().int().min(0),
  /** epoch ms, exclusive */
  to: z.number().int().min(0),
  bucketMs: z.number().int().refine((ms) => gridSizeOf(ms) !== undefined, 'bucket must be 1h, 1d or 1w'),
  per: z.enum(perValues).optional(),
  caller: z.string().min(1).optional()
})
  .refine((r) => r.to > r.from, { error: 'to must be after from', path: ['to'] })
  .refine((r) => (r.to - r.from) / (GRID_MS[gridSizeOf(r.bucketMs) ?? '1h']) <= MAX_BUCKETS,
    { error: `a window holds at most ${MAX_BUCKETS} buckets`, path: ['bucketMs'] })

export type CompareRequest = z.input<typeof compareRequestSchema>
