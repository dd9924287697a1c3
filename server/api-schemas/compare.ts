import { z } from 'zod'
import { perValues } from '../compare/normalize.ts'
import { GRID_MS, GRID_SIZES } from '../compare/release/local-grid.ts'
import { sectors } from '../domain/sectors.ts'
import { windowFields } from './time.ts'

// Community and comparisons (server/http/routes/compare.ts, docs/privacy.md): every figure
// comes from a stored release. What a release publishes is decided by server/compare/
// (quantiles only from enough members, say): figures it may withhold are optional here. As
// everywhere in the contract, a field not listed is not sent: a figure server/compare/ adds
// reaches the API once it is added below.

export const compareQuery = (now: () => number) => z.object({
  metric: z.string().min(1),
  sector: z.enum([...sectors, 'all']).optional(),
  ...windowFields(now),
  // The release grid only (docs/privacy.md): any other size would be a new cut of the data.
  bucket: z.enum(GRID_SIZES, 'bucket must be 1h, 1d or 1w').default('1h').transform((size) => GRID_MS[size]),
  per: z.enum(perValues).optional()
})

export const openDataQuery = (now: () => number) => compareQuery(now).omit({ per: true }).extend({
  format: z.enum(['csv', 'json']).default('json')
})

const figure = z.number().optional()

/** A shown release: `members` is the band's lower edge, quantiles only from enough members. */
export const shownBucketSchema = z.object({
  time: z.number(),
  members: z.number().describe('at least this many members (the band’s lower edge)'),
  membersBand: z.string(),
  p10: figure,
  p25: figure,
  p50: figure,
  p75: figure,
  p90: figure,
  mean: z.number(),
  meanInterval: z.tuple([z.number(), z.number()])
})
export const suppressedBucketSchema = z.object({ time: z.number(), suppressed: z.literal(true) })
export const pendingBucketSchema = z.object({ time: z.number(), pending: z.literal(true) })
export const compareBucketSchema = z.union([suppressedBucketSchema, pendingBucketSchema, shownBucketSchema]).meta({ id: 'CompareBucket' })
export type CompareBucket = z.infer<typeof compareBucketSchema>

export const callerViewSchema = z.object({
  points: z.array(z.object({ time: z.number(), value: z.number(), percentile: z.number().nullable() })),
  summary: z.object({
    buckets: z.number(),
    percentile: z.number().nullable(),
    lowerThan: z.number().nullable(),
    peers: z.number(),
    value: z.number().nullable(),
    versusMean: z.number().nullable().optional().describe('how far (%) the member\'s mean lies above (+) or below (−) the published means')
  })
})

export const compareSchema = z.object({
  metric: z.string(),
  unit: z.string(),
  kind: z.enum(['gauge', 'counter']),
  sector: z.string().nullable(),
  k: z.number(),
  p: z.number(),
  bucket: z.number().describe('ms'),
  timeZone: z.string(),
  per: z.enum(perValues).nullable(),
  buckets: z.array(compareBucketSchema),
  me: callerViewSchema.optional().describe('the signed-in member’s own line, unperturbed')
}).meta({ id: 'Comparison', description: 'the releases of the window, and the caller\'s own line' })
export type Comparison = z.infer<typeof compareSchema>

const withheld = z.number().nullable()
export const openDataRowSchema = z.object({
  time: z.number(),
  members: withheld,
  membersBand: z.string().nullable(),
  suppressed: z.boolean(),
  p10: withheld,
  p25: withheld,
  p50: withheld,
  p75: withheld,
  p90: withheld,
  mean: withheld,
  meanLow: withheld,
  meanHigh: withheld
})
export const openDataSchema = z.object({
  k: z.number(),
  p: z.number(),
  method: z.string(),
  metric: z.string(),
  unit: z.string(),
  sector: z.string().nullable(),
  bucket: z.number(),
  timeZone: z.string(),
  rows: z.array(openDataRowSchema)
}).meta({ id: 'OpenData' })

export const communitySchema = z.object({
  members: z.object({ total: z.number(), bySector: z.record(z.string(), z.number()) }),
  comparable: z.array(z.object({ metric: z.string(), sector: z.string(), members: z.number() })),
  k: z.number(),
  devicesOnline: z.number(),
  readingsLastMinute: z.number(),
  readingsLastHour: z.number()
}).meta({ id: 'Community', description: 'the community at a glance' })
export type Community = z.infer<typeof communitySchema>
