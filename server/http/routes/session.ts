import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TsudoiError } from '../../errors.ts'
import { parse } from '../../validation.ts'
import type { HttpContext } from '../context.ts'

const credentials = z.union([
  z.object({ accessKey: z.string().min(1).max(200) }).strict(),
  z.object({ adminToken: z.string().min(1).max(200) }).strict()
])

/** The dashboard trades a secret for an HttpOnly cookie once, so the secret never sits in browser storage. */
export async function sessionRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  app.post('/api/session', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parse(credentials, request.body ?? {})
    const secret = 'accessKey' in body ? body.accessKey : body.adminToken
    const caller = ctx.auth.fromSecret(secret)
    if (('accessKey' in body) !== (caller.role === 'member')) throw new TsudoiError('UNAUTHORIZED', 'unknown access key or admin token')
    ctx.auth.openSession(reply, secret, caller, request.protocol === 'https')
    return caller.role === 'member'
      ? { role: 'member', member: { id: caller.member.id, name: caller.member.name, sector: caller.member.sector } }
      : { role: caller.role }
  })

  app.get('/api/session', async (request) => {
    const caller = ctx.auth.caller(request)
    return caller.role === 'member'
      ? { role: 'member', member: { id: caller.member.id, name: caller.member.name, sector: caller.member.sector } }
      : { role: caller.role }
  })

  app.delete('/api/session', async (request, reply) => {
    ctx.auth.closeSession(request, reply, request.protocol === 'https')
    return reply.status(204).send()
  })
}
