import type { FastifyInstance } from 'fastify'
import type { HttpContext } from '../context.ts'

/** Liveness and load for organizers and monitoring; no member data. */
export async function healthRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  app.get('/api/health', async () => {
    const queue = ctx.queue?.()
    const refused = Object.fromEntries((await ctx.metrics.readingsRefused.get()).values.map((v) => [String(v.labels.code), v.value]))
    const storeWorkerFailures = (await ctx.metrics.storeWorkerFailures.get()).values.reduce((sum, v) => sum + v.value, 0)
    return {
      status: queue?.full === true ? 'degraded' : 'ok',
      store: ctx.store.kind,
      uptimeS: Math.round((ctx.clock() - ctx.startedAt) / 1000),
      devicesOnline: ctx.activity.devicesOnline,
      readingsLastMinute: ctx.activity.readingsWithin(60),
      refused,
      ...(storeWorkerFailures === 0 ? {} : { storeWorkerFailures }),
      ...(queue === undefined ? {} : { queue })
    }
  })

  app.get('/metrics', async (_request, reply) => {
    const queue = ctx.queue?.()
    if (queue !== undefined) {
      ctx.metrics.queueDepth.set(queue.depth)
      ctx.metrics.queueOldestSeconds.set(queue.oldestAgeMs / 1000)
      ctx.metrics.queueFull.set(queue.full ? 1 : 0)
    }
    return reply.header('content-type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics())
  })
}
