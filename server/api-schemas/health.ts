import { z } from 'zod'

// Liveness and load (server/http/routes/health.ts); no member data.
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.string(),
  uptimeS: z.number(),
  devicesOnline: z.number(),
  readingsLastMinute: z.number(),
  refused: z.record(z.string(), z.number()).describe('readings refused since start, by error code'),
  storeWorkerFailures: z.number().optional(),
  queue: z.object({ depth: z.number(), bytes: z.number(), oldestAgeMs: z.number(), full: z.boolean() }).optional()
}).meta({ id: 'Health', description: 'liveness and load' })
export type Health = z.infer<typeof healthSchema>
