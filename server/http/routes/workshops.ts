import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import QRCode from 'qrcode'
import { z } from 'zod'
import {
  createdWorkshopSchema, idParams, joinBody, joinCodeParams, joinInfoSchema, joinedSchema, newWorkshopSchema, qrParams,
  workshopPatchSchema, workshopSchema, workshopsSchema
} from '../../api-schemas/index.ts'
import { TsudoiError } from '../../errors.ts'
import type { Workshop } from '../../registry/workshops.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { deviceCredentials } from '../device-credentials.ts'
import { errorResponses } from '../error-responses.ts'
import { publicBaseUrl } from '../public-base-url.ts'

const organizer = { tags: ['workshops'], security: security.signedIn }
const attendee = { tags: ['workshops'], security: security.public }

/** Where an attendee's phone opens the join page (see publicBaseUrl for which address). */
function joinUrl (ctx: HttpContext, request: FastifyRequest, workshop: Workshop): string {
  return `${publicBaseUrl(request, ctx.config.TSUDOI_HOST, ctx.config.TSUDOI_PUBLIC_URL)}/#/join/${workshop.code}`
}

/** Workshops: an organizer makes a join code (and its QR); an attendee joins with it from a phone. */
export async function workshopRoutes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const workshops = ctx.registry.workshops

  await app.register(async (adminScope) => {
    const admin = adminScope.withTypeProvider<ZodTypeProvider>()
    // Before validation: a stranger learns nothing about the bodies, only 401.
    admin.addHook('preValidation', async (request) => ctx.auth.requireAdmin(request))
    admin.post('/api/admin/workshops', {
      schema: { ...organizer, summary: 'Make a workshop and its join code', body: newWorkshopSchema, response: { 201: createdWorkshopSchema, ...errorResponses } }
    }, async (request, reply) => {
      const workshop = workshops.create(request.body)
      return reply.status(201).send({ ...workshop, joinUrl: joinUrl(ctx, request, workshop), qr: `/api/admin/workshops/${workshop.id}/qr.svg` })
    })
    admin.get('/api/admin/workshops', {
      schema: { ...organizer, summary: 'Every workshop, with its join URL and member count', response: { 200: workshopsSchema, ...errorResponses } }
    }, async (request) => ({
      workshops: workshops.list().map((w) => ({ ...w, joinUrl: joinUrl(ctx, request, w), members: ctx.registry.workshopMembers(w.id).length }))
    }))
    admin.patch('/api/admin/workshops/:id', {
      schema: { ...organizer, summary: 'Change a workshop', params: idParams, body: workshopPatchSchema, response: { 200: workshopSchema, ...errorResponses } }
    }, async (request) => workshops.update(request.params.id, request.body))
    admin.get('/api/admin/workshops/:id/qr.:format', {
      schema: {
        ...organizer,
        summary: 'The join URL as a QR code (svg or png)',
        params: qrParams,
        response: {
          200: { description: 'the QR code', content: { 'image/svg+xml': { schema: z.string() }, 'image/png': { schema: z.string().meta({ format: 'binary' }) } } },
          ...errorResponses
        }
      }
    }, async (request, reply) => {
      const { id, format } = request.params
      const workshop = workshops.get(id)
      if (workshop === undefined) throw new TsudoiError('NOT_FOUND', `workshop ${id} not found`)
      const url = joinUrl(ctx, request, workshop)
      return format === 'svg'
        ? reply.header('content-type', 'image/svg+xml').send(await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }))
        // Bytes, sent as they are (Fastify serializes no Buffer); the schema can only say "binary string".
        : (reply as FastifyReply).header('content-type', 'image/png').send(await QRCode.toBuffer(url, { type: 'png', margin: 2, width: 600, errorCorrectionLevel: 'M' }))
    })
  })

  // Public: what the join page shows before the attendee commits to anything.
  app.get('/api/join/:code', {
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { ...attendee, summary: 'What a join code opens', params: joinCodeParams, response: { 200: joinInfoSchema, ...errorResponses } }
  }, async (request) => {
    const workshop = workshops.byCode(request.params.code)
    if (workshop === undefined) throw new TsudoiError('NOT_FOUND', 'unknown join code')
    const open = !workshop.ended && workshop.expiresAt > ctx.clock() && (workshop.maxJoins === null || workshop.joins < workshop.maxJoins)
    return { name: workshop.name, sector: workshop.sector, expiresAt: workshop.expiresAt, open }
  })

  app.post('/api/join', {
    config: { rateLimit: { max: ctx.config.TSUDOI_JOIN_RATE_LIMIT, timeWindow: '1 minute' } },
    schema: { ...attendee, summary: 'Join a workshop: a member with one device', body: joinBody, response: { 201: joinedSchema, ...errorResponses } }
  }, async (request, reply) => {
    const body = request.body
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
