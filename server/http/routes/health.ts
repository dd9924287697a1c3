import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { healthSchema } from '../../api-schemas/index.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { errorResponses } from '../error-responses.ts'

const tags = ['operations']

/** Liveness and load for organizers and monitoring; no member data. */
export async function healthRoutes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  app.get('/api/health', {
    schema: { tags, summary: 'Liveness and load', security: security.public, response: { 200: healthSchema, ...errorResponses } }
  }, async () => {
    const queue = ctx.queue?.()
    const refused = Object.fromEntries((await ctx.metrics.readingsRefused.get()).values.map((v) => [String(v.labels.code), v.value]))
    const storeWorkerFailures = (await ctx.metrics.storeWorkerFailures.get()).values.reduce((sum, v) => sum + v.value, 0)
    return {
      status: queue?.full === true ? 'degraded' as const : 'ok' as const,
      store: ctx.store.kind,
      uptimeS: Math.round((ctx.clock() - ctx.startedAt) / 1000),
      devicesOnline: ctx.activity.devicesOnline,
      readingsLastMinute: ctx.activity.readingsWithin(60),
      refused,
      ...(storeWorkerFailures === 0 ? {} : { storeWorkerFailures }),
      ...(queue === undefined ? {} : { queue })
    }
  })

  app.get('/metrics', {
    schema: {
      tags,
      summary: 'Prometheus metrics',
      security: security.public,
      response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...errorResponses }
    }
  }, async (_request, reply) => {
    const queue = ctx.queue?.()
    if (queue !== undefined) {
      ctx.metrics.queueDepth.set(queue.depth)
      ctx.metrics.queueOldestSeconds.set(queue.oldestAgeMs / 1000)
      ctx.metrics.queueFull.set(queue.full ? 1 : 0)
    }
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics())
  })
}
