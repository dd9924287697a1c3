import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  alertEventsQuery, alertEventsSchema, alertIdParams, alertRulePatchSchema, alertRuleSchema, alertRulesSchema, createdAlertRuleSchema,
  deadLettersSchema, newAlertRuleSchema, noContent
} from '../../api-schemas/index.ts'
import type { Alerts } from '../../alerts/alerts.ts'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { errorResponses } from '../error-responses.ts'

const member = { tags: ['member'], security: security.signedIn }
const admin = { tags: ['admin'], security: security.signedIn }

/**
 * Alert rules and events (docs/alerts.md). A member reads and changes only its own: every
 * query is by the caller's member id, and another member's rule or event answers 404 like
 * one that does not exist. The organizer sees the deliveries that gave up.
 */
export function alertRoutes (alerts: Alerts) {
  return async function routes (scope: FastifyInstance, ctx: HttpContext): Promise<void> {
    await scope.register(async (inner) => {
      const app = inner.withTypeProvider<ZodTypeProvider>()
      // Before validation: a stranger gets 401 whatever the body.
      app.addHook('preValidation', async (request) => { ctx.auth.requireMember(request) })

      app.get('/api/me/alerts', {
        schema: { ...member, summary: 'The member\'s alert rules, each with its state', response: { 200: alertRulesSchema, ...errorResponses } }
      }, async (request) => ({ rules: alerts.list(ctx.auth.requireMember(request).id) }))

      app.post('/api/me/alerts', {
        schema: { ...member, summary: 'Create an alert rule (the webhook signing key is in the answer, this once)', body: newAlertRuleSchema, response: { 201: createdAlertRuleSchema, ...errorResponses } }
      }, async (request, reply) => reply.status(201).send(await alerts.create(ctx.auth.requireMember(request).id, request.body)))

      app.get('/api/me/alerts/events', {
        schema: { ...member, summary: 'The member\'s alert events, newest first, with each delivery\'s status', querystring: alertEventsQuery, response: { 200: alertEventsSchema, ...errorResponses } }
      }, async (request) => ({ events: alerts.events(ctx.auth.requireMember(request).id, request.query.limit) }))

      app.post('/api/me/alerts/events/:id/ack', {
        schema: { ...member, summary: 'Acknowledge a firing alert: no repeats until it clears', params: alertIdParams, response: { 204: noContent, ...errorResponses } }
      }, async (request, reply) => {
        alerts.acknowledge(ctx.auth.requireMember(request).id, request.params.id)
        return reply.status(204).send()
      })

      app.get('/api/me/alerts/:id', {
        schema: { ...member, summary: 'One alert rule', params: alertIdParams, response: { 200: alertRuleSchema, ...errorResponses } }
      }, async (request) => alerts.get(ctx.auth.requireMember(request).id, request.params.id))

      app.patch('/api/me/alerts/:id', {
        schema: { ...member, summary: 'Change an alert rule (its state starts again)', params: alertIdParams, body: alertRulePatchSchema, response: { 200: alertRuleSchema, ...errorResponses } }
      }, async (request) => await alerts.update(ctx.auth.requireMember(request).id, request.params.id, request.body))

      app.delete('/api/me/alerts/:id', {
        schema: { ...member, summary: 'Delete an alert rule, its events and what it still owed', params: alertIdParams, response: { 204: noContent, ...errorResponses } }
      }, async (request, reply) => {
        alerts.delete(ctx.auth.requireMember(request).id, request.params.id)
        return reply.status(204).send()
      })
    })

    await scope.register(async (inner) => {
      const app = inner.withTypeProvider<ZodTypeProvider>()
      app.addHook('preValidation', async (request) => ctx.auth.requireAdmin(request))
      app.get('/api/admin/alerts/dead-letters', {
        schema: { ...admin, summary: 'Alert deliveries that gave up after every retry, newest first', response: { 200: deadLettersSchema, ...errorResponses } }
      }, async () => ({ deadLetters: alerts.deadLetters() }))
    })
  }
}
