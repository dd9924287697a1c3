import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { metricSpec } from '../../ingest/metric-catalog.ts'
import { parse } from '../../validation.ts'
import type { HttpContext } from '../context.ts'
import { deviceCredentials } from '../device-credentials.ts'
import { bucketSchema, resolveWindow, windowFields } from '../time-params.ts'
import { withStatus } from './admin.ts'
import { toCsv } from '../../domain/csv.ts'

const DAY = 86_400_000
const name = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)
const slug = z.string().min(1).max(64)

/** A member's own data. Every query is scoped to the member the credentials belong to. */
export async function meRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  const window = windowFields(ctx.clock)
  const rawQuery = z.object({
    metric: name.optional(), device: slug.optional(), ...window,
    limit: z.coerce.number().int().min(1).max(10_000).default(1000)
  })

  app.get('/api/me', async (request) => {
    const member = ctx.auth.requireMember(request)
    const now = ctx.clock()
    // Each device's latest battery level of the last week (one small query a device: a
    // member has a handful, and one chatty device must not hide another's).
    const devices = await Promise.all(ctx.registry.devices(member.id).map(async (d) => {
      const [latest] = await ctx.store.readings({ member: member.id, device: d.id, metric: 'battery', from: now - 7 * DAY, to: now + 1, limit: 1 })
      return { ...withStatus(d, ctx), battery: latest?.value ?? null }
    }))
    const { host, port, wsUrl } = ctx.mqtt()
    return { member, devices, mqtt: { host, port, wsUrl } }
  })

  const readings = async (query: unknown, memberId: string) => {
    const q = parse(rawQuery, query)
    const { from, to } = resolveWindow(q, ctx.clock, DAY)
    const rows = await ctx.store.readings({ member: memberId, metric: q.metric, device: q.device, from, to, limit: q.limit })
    return rows.map(({ time, device, metric, value }) => ({ time, device, metric, value }))
  }

  app.get('/api/me/readings', async (request) => ({ readings: await readings(request.query, ctx.auth.requireMember(request).id) }))

  app.get('/api/me/readings.csv', async (request, reply) => {
    const member = ctx.auth.requireMember(request)
    const rows = await readings({ limit: '10000', ...(request.query as object) }, member.id)
    return reply.header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tsudoi-${member.id}.csv"`)
      .send(toCsv(['time', 'device', 'metric', 'value'], rows.map((r) => [new Date(r.time).toISOString(), r.device, r.metric, r.value])))
  })

  app.get('/api/me/series', async (request) => {
    const member = ctx.auth.requireMember(request)
    const q = parse(z.object({ metric: name, device: slug.optional(), ...window, bucket: bucketSchema.default(3_600_000) }), request.query)
    const { from, to } = resolveWindow(q, ctx.clock, DAY)
    const points = await ctx.store.series({ member: member.id, metric: q.metric, device: q.device, from, to, bucketMs: q.bucket })
    return { metric: q.metric, unit: metricSpec(q.metric).unit, bucket: q.bucket, points }
  })

  app.get('/api/me/metrics', async (request) => {
    const member = ctx.auth.requireMember(request)
    const found = await ctx.store.memberMetrics(member.id)
    return { metrics: found.map((metric) => ({ metric, unit: metricSpec(metric).unit, kind: metricSpec(metric).kind })) }
  })

  app.get('/api/me/errors', async (request) => {
    const member = ctx.auth.requireMember(request)
    const errors = ctx.registry.devices(member.id).flatMap((d) => ctx.refusals.recent(d.id))
      .sort((a, b) => b.time - a.time)
      .map(({ device, code, message, topic, time }) => ({ device, code, message, topic, time }))
    return { errors }
  })

  app.post('/api/me/devices', async (request, reply) => {
    const member = ctx.auth.requireMember(request)
    const body = parse(z.object({}).passthrough(), request.body ?? {})
    const { device, token } = ctx.registry.addDevice({ ...body, member: member.id } as never)
    return reply.status(201).send(deviceCredentials(device, token, ctx.mqtt()))
  })
}
