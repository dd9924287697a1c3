import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { CompareService } from '../../compare/compare-service.ts'
import { perValues } from '../../compare/normalize.ts'
import { openDataCsv } from '../../compare/open-data.ts'
import { GRID_MS, GRID_SIZES } from '../../compare/release/local-grid.ts'
import { TsudoiError } from '../../errors.ts'
import { sectors } from '../../registry/sectors.ts'
import { parse } from '../../validation.ts'
import type { HttpContext } from '../context.ts'
import { resolveWindow, windowFields } from '../time-params.ts'

const DAY = 86_400_000

/**
 * Protected comparisons (docs/privacy.md): only stored releases leave the server. A
 * member's key adds its own line (`me`); nothing else is personal.
 */
export function compareRoutes (compare: CompareService) {
  return async function routes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
    const query = z.object({
      metric: z.string().min(1),
      sector: z.enum([...sectors, 'all']).optional(),
      ...windowFields(ctx.clock),
      // The release grid only (docs/privacy.md): any other size would be a new cut of the data.
      bucket: z.enum(GRID_SIZES, 'bucket must be 1h, 1d or 1w').default('1h').transform((size) => GRID_MS[size]),
      per: z.enum(perValues).optional()
    })

    /** The caller's member id, or undefined for the community view; refuses strangers when comparisons are not public. */
    const callerOf = (request: FastifyRequest): string | undefined => {
      const caller = ctx.auth.caller(request)
      if (caller.role === 'member') return caller.member.id
      if (caller.role === 'anonymous' && !ctx.config.TSUDOI_PUBLIC_COMPARISONS) {
        throw new TsudoiError('UNAUTHORIZED', 'comparisons are for members on this hub (TSUDOI_PUBLIC_COMPARISONS=off)')
      }
      return undefined
    }

    const request = (raw: unknown) => {
      const q = parse(query, raw)
      const { from, to } = resolveWindow(q, ctx.clock, DAY)
      return { metric: q.metric, sector: q.sector === 'all' ? undefined : q.sector, from, to, bucketMs: q.bucket, per: q.per }
    }

    app.get('/api/compare', async (req) => {
      const caller = callerOf(req)
      return compare.compare({ ...request(req.query), caller })
    })

    app.get('/api/community', async (req) => {
      callerOf(req)
      const overview = await compare.community()
      return {
        ...overview,
        k: ctx.config.TSUDOI_K_ANONYMITY,
        devicesOnline: ctx.activity.devicesOnline,
        readingsLastMinute: ctx.activity.readingsWithin(60),
        readingsLastHour: ctx.activity.readingsWithin(3600)
      }
    })

    app.get('/api/open-data', async (req, reply) => {
      callerOf(req)
      const { format } = parse(z.object({ format: z.enum(['csv', 'json']).default('json') }), { format: (req.query as Record<string, unknown>).format })
      const { per: _per, ...rest } = request({ ...(req.query as object), format: undefined })
      const data = await compare.openData(rest)
      if (format === 'json') return data
      return reply.header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tsudoi-${data.metric}-${data.sector ?? 'all'}.csv"`)
        .send(openDataCsv(data))
    })
  }
}
