import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Device, Member } from '../../registry/registry.ts'
import type { HttpContext } from '../context.ts'
import { parse } from '../../validation.ts'
import { deviceCredentials } from '../device-credentials.ts'

const idParams = z.object({ id: z.string().min(1).max(64) })

/** The organizer's API: members, devices and their credentials. */
export async function adminRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  app.addHook('preHandler', async (request) => ctx.auth.requireAdmin(request))

  app.post('/api/admin/members', async (request, reply) => {
    const { member, accessKey } = ctx.registry.addMember((request.body ?? {}) as never)
    return reply.status(201).send({ ...member, accessKey })
  })
  app.get('/api/admin/members', async () => ({ members: ctx.registry.members().map((m) => withDeviceCount(m, ctx)) }))
  app.get('/api/admin/members/:id', async (request) => {
    const { id } = parse(idParams, request.params)
    return { ...ctx.registry.requireMember(id), devices: ctx.registry.devices(id).map((d) => withStatus(d, ctx)) }
  })
  app.patch('/api/admin/members/:id', async (request) => {
    const { id } = parse(idParams, request.params)
    ctx.registry.requireMember(id)
    return ctx.registry.updateMember(id, (request.body ?? {}) as never)
  })
  app.delete('/api/admin/members/:id', async (request, reply) => {
    const { id } = parse(idParams, request.params)
    const { purge } = parse(z.object({ purge: z.enum(['0', '1']).optional() }), request.query)
    await ctx.membership.removeMember(id, { purge: purge === '1' })
    return reply.status(204).send()
  })
  app.post('/api/admin/members/:id/access-key', async (request) => {
    const { id } = parse(idParams, request.params)
    return { accessKey: ctx.registry.rotateAccessKey(id) }
  })

  app.post('/api/admin/devices', async (request, reply) => {
    const { device, token } = ctx.registry.addDevice((request.body ?? {}) as never)
    return reply.status(201).send(deviceCredentials(device, token, ctx.mqtt()))
  })
  app.get('/api/admin/devices', async (request) => {
    const { member } = parse(z.object({ member: z.string().optional() }), request.query)
    return { devices: ctx.registry.devices(member).map((d) => withStatus(d, ctx)) }
  })
  app.delete('/api/admin/devices/:id', async (request, reply) => {
    const { id } = parse(idParams, request.params)
    ctx.membership.removeDevice(id)
    return reply.status(204).send()
  })
  app.post('/api/admin/devices/:id/token', async (request) => {
    const { id } = parse(idParams, request.params)
    return { token: ctx.membership.rotateDeviceToken(id) }
  })
}

export function withStatus (device: Device, ctx: HttpContext) {
  return { ...device, lastSeen: ctx.activity.lastSeen(device.id) ?? device.lastSeen, online: ctx.activity.isOnline(device.id) }
}

function withDeviceCount (member: Member, ctx: HttpContext) {
  return { ...member, devices: ctx.registry.devices(member.id).length }
}
