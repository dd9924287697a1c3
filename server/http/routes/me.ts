import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  deviceCredentialsSchema, meSchema, memberMetricsSchema, newOwnDeviceSchema, readingsQuery, readingsSchema, refusalsSchema, seriesQuery, seriesSchema
} from '../../api-schemas/index.ts'
import { toCsv } from '../../domain/csv.ts'
import { metricSpec } from '../../domain/metric-catalog.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { deviceCredentials } from '../device-credentials.ts'
import { errorResponses } from '../error-responses.ts'
import { resolveWindow } from '../time-params.ts'
import { withStatus } from './admin.ts'

const DAY = 86_400_000
const member = { tags: ['member'], security: security.signedIn }

/** A member's own data. Every query is scoped to the member the credentials belong to. */
export async function meRoutes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  // Before validation, as before schemas were declared: a stranger gets 401 whatever the query.
  app.addHook('preValidation', async (request) => { ctx.auth.requireMember(request) })

  app.get('/api/me', {
    schema: { ...member, summary: 'The member, its devices and where they connect', response: { 200: meSchema, ...errorResponses } }
  }, async (request) => {
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

  const readings = async (q: z.output<ReturnType<typeof readingsQuery>>, memberId: string) => {
    const { from, to } = resolveWindow(q, ctx.clock, DAY)
    const rows = await ctx.store.readings({ member: memberId, metric: q.metric, device: q.device, from, to, limit: q.limit })
    return rows.map(({ time, device, metric, value }) => ({ time, device, metric, value }))
  }

  app.get('/api/me/readings', {
    schema: { ...member, summary: 'The member\'s readings, newest first', querystring: readingsQuery(ctx.clock), response: { 200: readingsSchema, ...errorResponses } }
  }, async (request) => ({ readings: await readings(request.query, ctx.auth.requireMember(request).id) }))

  app.get('/api/me/readings.csv', {
    schema: {
      ...member,
      summary: 'The same as CSV (time,device,metric,value; ISO time)',
      querystring: readingsQuery(ctx.clock, 10_000),
      response: { 200: { description: 'RFC 4180 CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses }
    }
  }, async (request, reply) => {
    const member = ctx.auth.requireMember(request)
    const rows = await readings(request.query, member.id)
    return reply.header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tsudoi-${member.id}.csv"`)
      .send(toCsv(['time', 'device', 'metric', 'value'], rows.map((r) => [new Date(r.time).toISOString(), r.device, r.metric, r.value])))
  })

  app.get('/api/me/series', {
    schema: { ...member, summary: 'One metric in buckets (mean, min, max, count)', querystring: seriesQuery(ctx.clock), response: { 200: seriesSchema, ...errorResponses } }
  }, async (request) => {
    const member = ctx.auth.requireMember(request)
    const q = request.query
    const { from, to } = resolveWindow(q, ctx.clock, DAY)
    const points = await ctx.store.series({ member: member.id, metric: q.metric, device: q.device, from, to, bucketMs: q.bucket })
    return { metric: q.metric, unit: metricSpec(q.metric).unit, bucket: q.bucket, points }
  })

  app.get('/api/me/metrics', {
    schema: { ...member, summary: 'The metrics the member has sent', response: { 200: memberMetricsSchema, ...errorResponses } }
  }, async (request) => {
    const member = ctx.auth.requireMember(request)
    const found = await ctx.store.memberMetrics(member.id)
    return { metrics: found.map((metric) => ({ metric, unit: metricSpec(metric).unit, kind: metricSpec(metric).kind })) }
  })

  app.get('/api/me/errors', {
    schema: { ...member, summary: 'The last refusals sent to the member\'s devices', response: { 200: refusalsSchema, ...errorResponses } }
  }, async (request) => {
    const member = ctx.auth.requireMember(request)
    const errors = ctx.registry.devices(member.id).flatMap((d) => ctx.refusals.recent(d.id))
      .sort((a, b) => b.time - a.time)
      .map(({ device, code, message, topic, time }) => ({ device, code, message, topic, time }))
    return { errors }
  })

  app.post('/api/me/devices', {
    schema: { ...member, summary: 'The member adds a device of its own', body: newOwnDeviceSchema, response: { 201: deviceCredentialsSchema, ...errorResponses } }
  }, async (request, reply) => {
    const member = ctx.auth.requireMember(request)
    const { member: _ignored, ...body } = request.body
    const { device, token } = ctx.registry.addDevice({ ...body, member: member.id })
    return reply.status(201).send(deviceCredentials(device, token, ctx.mqtt()))
  })
}
