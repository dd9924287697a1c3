import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Device, Member } from '../../registry/registry.ts'
import {
  accessKeySchema, adminDevicesSchema, adminMembersSchema, createdMemberSchema, deleteMemberQuery, deviceCredentialsSchema,
  devicesQuery, idParams, memberDetailSchema, memberPatchSchema, memberSchema, newDeviceSchema, newMemberSchema, noContent, tokenSchema
} from '../../api-schemas/index.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { deviceCredentials } from '../device-credentials.ts'
import { errorResponses } from '../error-responses.ts'

const admin = { tags: ['admin'], security: security.signedIn }
const errors = errorResponses

/** The organizer's API: members, devices and their credentials. */
export async function adminRoutes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  // Before validation: a stranger learns nothing about the admin API's bodies, only 401.
  app.addHook('preValidation', async (request) => ctx.auth.requireAdmin(request))

  app.post('/api/admin/members', {
    schema: { ...admin, summary: 'Register a member', body: newMemberSchema, response: { 201: createdMemberSchema, ...errors } }
  }, async (request, reply) => {
    const { member, accessKey } = ctx.registry.addMember(request.body)
    return reply.status(201).send({ ...member, accessKey })
  })
  app.get('/api/admin/members', {
    schema: { ...admin, summary: 'Every member, with its device count', response: { 200: adminMembersSchema, ...errors } }
  }, async () => ({ members: ctx.registry.members().map((m) => withDeviceCount(m, ctx)) }))
  app.get('/api/admin/members/:id', {
    schema: { ...admin, summary: 'A member and its devices', params: idParams, response: { 200: memberDetailSchema, ...errors } }
  }, async (request) => {
    const { id } = request.params
    return { ...ctx.registry.requireMember(id), devices: ctx.registry.devices(id).map((d) => withStatus(d, ctx)) }
  })
  app.patch('/api/admin/members/:id', {
    schema: { ...admin, summary: 'Change a member', params: idParams, body: memberPatchSchema, response: { 200: memberSchema, ...errors } }
  }, async (request) => {
    const { id } = request.params
    ctx.registry.requireMember(id)
    return ctx.registry.updateMember(id, request.body)
  })
  app.delete('/api/admin/members/:id', {
    schema: { ...admin, summary: 'Remove a member and its devices (?purge=1: its readings too)', params: idParams, querystring: deleteMemberQuery, response: { 204: noContent, ...errors } }
  }, async (request, reply) => {
    await ctx.membership.removeMember(request.params.id, { purge: request.query.purge === '1' })
    return reply.status(204).send()
  })
  app.post('/api/admin/members/:id/access-key', {
    schema: { ...admin, summary: 'Rotate a member\'s access key', params: idParams, response: { 200: accessKeySchema, ...errors } }
  }, async (request) => ({ accessKey: ctx.registry.rotateAccessKey(request.params.id) }))

  app.post('/api/admin/devices', {
    schema: { ...admin, summary: 'Register a device for a member', body: newDeviceSchema, response: { 201: deviceCredentialsSchema, ...errors } }
  }, async (request, reply) => {
    const { device, token } = ctx.registry.addDevice(request.body)
    return reply.status(201).send(deviceCredentials(device, token, ctx.mqtt()))
  })
  app.get('/api/admin/devices', {
    schema: { ...admin, summary: 'Every device (or one member\'s), with its status', querystring: devicesQuery, response: { 200: adminDevicesSchema, ...errors } }
  }, async (request) => ({ devices: ctx.registry.devices(request.query.member).map((d) => withStatus(d, ctx)) }))
  app.delete('/api/admin/devices/:id', {
    schema: { ...admin, summary: 'Remove a device', params: idParams, response: { 204: noContent, ...errors } }
  }, async (request, reply) => {
    ctx.membership.removeDevice(request.params.id)
    return reply.status(204).send()
  })
  app.post('/api/admin/devices/:id/token', {
    schema: { ...admin, summary: 'Rotate a device\'s token (the old one stops working)', params: idParams, response: { 200: tokenSchema, ...errors } }
  }, async (request) => ({ token: ctx.membership.rotateDeviceToken(request.params.id) }))
}

export function withStatus (device: Device, ctx: HttpContext) {
  return { ...device, lastSeen: ctx.activity.lastSeen(device.id) ?? device.lastSeen, online: ctx.activity.isOnline(device.id) }
}

function withDeviceCount (member: Member, ctx: HttpContext) {
  return { ...member, devices: ctx.registry.devices(member.id).length }
}
