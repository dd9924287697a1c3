import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { communitySchema, compareQuery, compareSchema, openDataQuery, openDataSchema } from '../../api-schemas/index.ts'
import type { CompareService } from '../../compare/compare-service.ts'
import { openDataCsv } from '../../compare/open-data.ts'
import { TsudoiError } from '../../errors.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { errorResponses } from '../error-responses.ts'
import { resolveWindow } from '../time-params.ts'

const DAY = 86_400_000
const community = { tags: ['community'], security: security.optional }

/**
 * Protected comparisons (docs/privacy.md): only stored releases leave the server. A
 * member's key adds its own line (`me`); nothing else is personal.
 */
export function compareRoutes (compare: CompareService) {
  return async function routes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
    const app = scope.withTypeProvider<ZodTypeProvider>()

    /** The caller's member id, or undefined for the community view; refuses strangers when comparisons are not public. */
    const callerOf = (request: FastifyRequest): string | undefined => {
      const caller = ctx.auth.caller(request)
      if (caller.role === 'member') return caller.member.id
      if (caller.role === 'anonymous' && !ctx.config.TSUDOI_PUBLIC_COMPARISONS) {
        throw new TsudoiError('UNAUTHORIZED', 'comparisons are for members on this hub (TSUDOI_PUBLIC_COMPARISONS=off)')
      }
      return undefined
    }
    // Before validation: with TSUDOI_PUBLIC_COMPARISONS=off a stranger gets 401 whatever the query.
    app.addHook('preValidation', async (request) => { callerOf(request) })

    const window = (q: { from?: number, to?: number }) => resolveWindow(q, ctx.clock, DAY)

    app.get('/api/compare', {
      schema: { ...community, summary: 'A metric\'s releases for a sector or all, and the signed-in member\'s own line', querystring: compareQuery(ctx.clock), response: { 200: compareSchema, ...errorResponses } }
    }, async (req) => {
      const caller = callerOf(req)
      const q = req.query
      const { from, to } = window(q)
      return compare.compare({ metric: q.metric, sector: q.sector === 'all' ? undefined : q.sector, from, to, bucketMs: q.bucket, per: q.per, caller })
    })

    app.get('/api/community', {
      schema: { ...community, summary: 'Members by sector and the comparable metrics', response: { 200: communitySchema, ...errorResponses } }
    }, async (req) => {
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

    app.get('/api/open-data', {
      schema: {
        ...community,
        summary: 'The community\'s released buckets as open data (JSON or CSV)',
        querystring: openDataQuery(ctx.clock),
        response: {
          200: { description: 'the released buckets', content: { 'application/json': { schema: openDataSchema }, 'text/csv': { schema: z.string() } } },
          ...errorResponses
        }
      }
    }, async (req, reply) => {
      callerOf(req)
      const q = req.query
      const { from, to } = window(q)
      const data = await compare.openData({ metric: q.metric, sector: q.sector === 'all' ? undefined : q.sector, from, to, bucketMs: q.bucket })
      if (q.format === 'json') return data
      return reply.header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tsudoi-${data.metric}-${data.sector ?? 'all'}.csv"`)
        .send(openDataCsv(data))
    })
  }
}
