import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { HttpContext } from './context.ts'
import { errorHandler } from './error-handler.ts'
import { apiDocs, requireDocumentedRoutes } from './api-docs.ts'
import { serializerCompiler, validatorCompiler } from './zod-compilers.ts'
import { adminRoutes } from './routes/admin.ts'
import { healthRoutes } from './routes/health.ts'
import { meRoutes } from './routes/me.ts'
import { sessionRoutes } from './routes/session.ts'
import { streamRoutes } from './routes/stream.ts'
import { workshopRoutes } from './routes/workshops.ts'

const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url))

export type RouteModule = (app: FastifyInstance, ctx: HttpContext) => Promise<void>

/** The routes, one module a concern; later capabilities add theirs to this table. */
export const routeModules: RouteModule[] = [sessionRoutes, meRoutes, adminRoutes, workshopRoutes, healthRoutes, streamRoutes]

/** Builds the HTTP app; it does not listen (only server/main.ts and the hub's start() do). */
export async function buildHttpApp (ctx: HttpContext, sessionSecret: string, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  // pino's Logger and Fastify's FastifyBaseLogger differ only in optional typing details.
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    // request.ip keys every rate limit (sign-in, join codes): X-Forwarded-For (and -Proto, -Host)
    // is believed only from the proxies named in TSUDOI_TRUST_PROXY, else anyone could rotate it
    // to walk past the limits (issue 12, item 6). From a trusted proxy, the client is the
    // rightmost address that is not itself a trusted proxy (proxy-addr).
    trustProxy: ctx.config.TSUDOI_TRUST_PROXY
  })
  app.setErrorHandler(errorHandler)
  // Fastify's own 404 body ({message, error, statusCode}) would be the one answer outside the
  // error shape every client reads (docs/api.md); the path is not echoed back.
  app.setNotFoundHandler(async (_request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such route or file' } }))
  // Schema-first routes: each declares its zod schemas (server/api-schemas/); Fastify validates
  // the request and encodes the answer through them, and the OpenAPI document is made from them.
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  requireDocumentedRoutes(app)
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null
      }
    },
    // The hub is often reached over plain HTTP on a local network; HSTS would lock that out.
    strictTransportSecurity: false
  })
  await app.register(cookie, { secret: sessionSecret })
  await app.register(rateLimit, { global: false })
  // Before the routes: @fastify/swagger collects every route registered after it.
  await apiDocs(app)
  for (const routes of [...routeModules, ...extraRoutes]) {
    await app.register(async (scope) => routes(scope, ctx))
  }
  if (existsSync(DASHBOARD_DIR)) {
    await app.register(fastifyStatic, { root: DASHBOARD_DIR, index: ['index.html'] })
  } else {
    app.get('/', async () => ({ message: 'dashboard not built: run npm run build:dashboard' }))
  }
  return app
}
