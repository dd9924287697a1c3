import { z } from 'zod'
import { newDeviceSchema } from '../registry/inputs.ts'
import { bucketSchema } from '../store/buckets.ts'
import { deviceStatusSchema, memberSchema } from './common.ts'
import { windowFields } from './time.ts'

// A member's own data (server/http/routes/me.ts).
const metricName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)
const slug = z.string().min(1).max(64)

/** `GET /api/me/readings` (and `.csv`, whose default limit is the maximum). */
export const readingsQuery = (now: () => number, defaultLimit = 1000) => z.object({
  metric: metricName.optional(),
  device: slug.optional(),
  ...windowFields(now),
  limit: z.coerce.number().int().min(1).max(10_000).default(defaultLimit)
})

export const seriesQuery = (now: () => number) => z.object({
  metric: metricName,
  device: slug.optional(),
  ...windowFields(now),
  bucket: bucketSchema.default(3_600_000).describe('a number and a unit: 30s, 5m, 1h, 1d (default 1h)')
})

/** A member adds a device to itself: `member` is its own whatever the body says. */
export const newOwnDeviceSchema = newDeviceSchema.omit({ member: true }).extend({
  member: z.unknown().optional().describe('ignored: the device is always the caller’s')
})

export const meDeviceSchema = deviceStatusSchema.extend({
  battery: z.number().nullable().describe('the latest battery level reported in the last 7 days')
})
export const meSchema = z.object({
  member: memberSchema,
  devices: z.array(meDeviceSchema),
  mqtt: z.object({ host: z.string(), port: z.number(), wsUrl: z.string() }).describe('where devices connect')
}).meta({ id: 'Me', description: 'the member, its devices and where they connect' })
export type Me = z.infer<typeof meSchema>

export const readingSchema = z.object({ time: z.number(), device: z.string(), metric: z.string(), value: z.number() })
export type Reading = z.infer<typeof readingSchema>
export const readingsSchema = z.object({ readings: z.array(readingSchema).describe('newest first') }).describe('the readings')

export const seriesPointSchema = z.object({ time: z.number(), mean: z.number(), min: z.number(), max: z.number(), count: z.number() })
export type SeriesPoint = z.infer<typeof seriesPointSchema>
export const seriesSchema = z.object({ metric: z.string(), unit: z.string(), bucket: z.number().describe('ms'), points: z.array(seriesPointSchema) }).describe('the buckets, oldest first')
export type Series = z.infer<typeof seriesSchema>

export const memberMetricsSchema = z.object({
  metrics: z.array(z.object({ metric: z.string(), unit: z.string(), kind: z.enum(['gauge', 'counter']) }))
}).describe('the metrics the member has sent')

export const refusalSchema = z.object({ device: z.string(), code: z.string(), message: z.string(), topic: z.string(), time: z.number() })
export type Refusal = z.infer<typeof refusalSchema>
export const refusalsSchema = z.object({ errors: z.array(refusalSchema) }).describe('the last refusals, newest first')
