import type { FastifyInstance, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { z } from 'zod'
import { TsudoiError } from '../../errors.ts'
import { deviceFormats } from '../../registry/device-formats.ts'
import { sectors } from '../../registry/sectors.ts'
import type { Workshop } from '../../registry/workshops.ts'
import { parse } from '../../validation.ts'
import type { HttpContext } from '../context.ts'
import { deviceCredentials } from '../device-credentials.ts'
import { publicBaseUrl } from '../public-base-url.ts'
import { displayName } from '../../domain/display-name.ts'

const idParams = z.object({ id: z.string().min(1).max(64) })
const joinBody = z.object({
  code: z.string().trim().min(4).max(16),
  name: displayName(),
  sector: z.enum(sectors).optional(),
  deviceName: displayName().optional(),
  format: z.enum(deviceFormats).default('auto')
}).strict()

/** Where an attendee's phone opens the join page (see publicBaseUrl for which address). */
function joinUrl (ctx: HttpContext, request: FastifyRequest, workshop: Workshop): string {
  return `${publicBaseUrl(request, ctx.config.TSUDOI_HOST, ctx.config.TSUDOI_PUBLIC_URL)}/#/join/${workshop.code}`
}

/** Workshops: an organizer makes a join code (and its QR); an attendee joins with it from a phone. */
export async function workshopRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  const workshops = ctx.registry.workshops

  await app.register(async (admin) => {
    admin.addHook('preHandler', async (request) => ctx.auth.requireAdmin(request))
    admin.post('/api/admin/workshops', async (request, reply) => {
      const workshop = workshops.create(request.body ?? {})
      return reply.status(201).send({ ...workshop, joinUrl: joinUrl(ctx, request, workshop), qr: `/api/admin/workshops/${workshop.id}/qr.svg` })
    })
    admin.get('/api/admin/workshops', async (request) => ({
      workshops: workshops.list().map((w) => ({ ...w, joinUrl: joinUrl(ctx, request, w), members: ctx.registry.workshopMembers(w.id).length }))
    }))
    admin.patch('/api/admin/workshops/:id', async (request) => workshops.update(parse(idParams, request.params).id, request.body ?? {}))
    admin.get('/api/admin/workshops/:id/qr.:format', async (request, reply) => {
      const { id, format } = parse(idParams.extend({ format: z.enum(['svg', 'png']) }), request.params)
      const workshop = workshops.get(id)
      if (workshop === undefined) throw new TsudoiError('NOT_FOUND', `workshop ${id} not found`)
      const url = joinUrl(ctx, request, workshop)
      return format === 'svg'
        ? reply.header('content-type', 'image/svg+xml').send(await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }))
        : reply.header('content-type', 'image/png').send(await QRCode.toBuffer(url, { type: 'png', margin: 2, width: 600, errorCorrectionLevel: 'M' }))
    })
  })

  // Public: what the join page shows before the attendee commits to anything.
  app.get('/api/join/:code', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request) => {
    const { code } = parse(z.object({ code: z.string().min(4).max(16) }), request.params)
    const workshop = workshops.byCode(code)
    if (workshop === undefined) throw new TsudoiError('NOT_FOUND', 'unknown join code')
    const open = !workshop.ended && workshop.expiresAt > ctx.clock() && (workshop.maxJoins === null || workshop.joins < workshop.maxJoins)
    return { name: workshop.name, sector: workshop.sector, expiresAt: workshop.expiresAt, open }
  })

  app.post('/api/join', { config: { rateLimit: { max: ctx.config.TSUDOI_JOIN_RATE_LIMIT, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parse(joinBody, request.body ?? {})
    const workshop = workshops.admit(body.code)
    const sector = body.sector ?? workshop.sector ?? 'other'
    const { member, accessKey } = ctx.registry.addMember({ name: body.name, sector: sector as never }, workshop.id)
    // `auto` by default: the set-up offers Tasmota, ESPHome, Shelly and plain MQTT, and the
    // device works whichever the attendee brought.
    const { device, token } = ctx.registry.addDevice({ member: member.id, name: body.deviceName ?? `${body.name} sensor`, format: body.format })
    const mqtt = ctx.mqtt()
    return reply.status(201).send({
      workshop: { id: workshop.id, name: workshop.name, expiresAt: workshop.expiresAt },
      member: { id: member.id, name: member.name, sector: member.sector, accessKey },
      device: deviceCredentials(device, token, mqtt)
    })
  })
}
