import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { noContent, sessionBody, sessionSchema } from '../../api-schemas/index.ts'
import { TsudoiError } from '../../errors.ts'
import { security } from '../api-docs.ts'
import type { Caller } from '../auth.ts'
import type { HttpContext } from '../context.ts'
import { errorResponses } from '../error-responses.ts'

const tags = ['session']

/** The dashboard trades a secret for an HttpOnly cookie once, so the secret never sits in browser storage. */
export async function sessionRoutes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()

  app.post('/api/session', {
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Sign in: trade the admin token or an access key for the session cookie', security: security.public, body: sessionBody, response: { 200: sessionSchema, ...errorResponses } }
  }, async (request, reply) => {
    const body = request.body
    const secret = 'accessKey' in body ? body.accessKey : body.adminToken
    const caller = ctx.auth.fromSecret(secret)
    if (('accessKey' in body) !== (caller.role === 'member')) throw new TsudoiError('UNAUTHORIZED', 'unknown access key or admin token')
    ctx.auth.openSession(reply, secret, caller, request.protocol === 'https')
    return session(caller)
  })

  app.get('/api/session', {
    schema: { tags, summary: 'Who is signed in', security: security.public, response: { 200: sessionSchema, ...errorResponses } }
  }, async (request) => session(ctx.auth.caller(request)))

  app.delete('/api/session', {
    schema: { tags, summary: 'Sign out (the session ends on the hub)', security: security.public, response: { 204: noContent, ...errorResponses } }
  }, async (request, reply) => {
    ctx.auth.closeSession(request, reply, request.protocol === 'https')
    return reply.status(204).send()
  })
}

function session (caller: Caller) {
  return caller.role === 'member'
    ? { role: 'member' as const, member: { id: caller.member.id, name: caller.member.name, sector: caller.member.sector } }
    : { role: caller.role }
}
