import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SESSION_COOKIE } from './auth.ts'
import { errorResponses } from './error-responses.ts'

export const OPENAPI_PATH = '/api/openapi.json'
export const DOCS_PREFIX = '/api/docs'

/** Who may call an operation, as OpenAPI security requirements (docs/api.md, "Authentication"). */
export const security: Record<'public' | 'signedIn' | 'optional', Array<Record<string, string[]>>> = {
  /** Anyone, signed in or not. */
  public: [],
  /** The admin token or a member access key as a bearer token, or the session cookie either one opened. */
  signedIn: [{ bearerToken: [] }, { sessionCookie: [] }],
  /** Anyone; a signed-in member gets its own line too. */
  optional: [{ bearerToken: [] }, { sessionCookie: [] }, {}]
}

/** A route as registered: method and Fastify path (`/api/admin/members/:id`). */
export interface RegisteredRoute { method: string, url: string }

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route registered on the app (HEAD copies left out), filled in as routes are added. */
    apiRoutes: readonly RegisteredRoute[]
  }
}

/** Routes that are the API (and so must be in the OpenAPI document), not pages or assets. */
export const isApiRoute = (url: string): boolean => (url.startsWith('/api/') || url === '/metrics') && url !== DOCS_PREFIX && !url.startsWith(`${DOCS_PREFIX}/`)

/**
 * Registers the hook that keeps the document complete: an API route without a tag would be
 * left out of it silently (`hideUntagged`), so registering one fails at start-up instead.
 */
export function requireDocumentedRoutes (app: FastifyInstance): void {
  const routes: RegisteredRoute[] = []
  app.decorate('apiRoutes', routes)
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isApiRoute(route.url)) return
    const tags = (route.schema as { tags?: unknown } | undefined)?.tags
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      if (!Array.isArray(tags) || tags.length === 0) throw new Error(`${method} ${route.url}: an API route needs tags and schemas to be in /api/openapi.json (server/http/api-docs.ts)`)
      routes.push({ method, url: route.url })
    }
  })
}

/**
 * The zod → JSON Schema transform, plus each answer's description: an answer whose schema
 * has an id becomes a bare `$ref`, and @fastify/swagger would then call it "Default Response".
 */
const withResponseDescriptions: typeof jsonSchemaTransform = (route) => {
  const transformed = jsonSchemaTransform(route)
  const declared = (route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {}
  const responses = (transformed.schema as { response?: Record<string, Record<string, unknown>> } | undefined)?.response ?? {}
  for (const [status, schema] of Object.entries(declared)) {
    const description = schema instanceof z.ZodType ? z.globalRegistry.get(schema)?.description : undefined
    const json = responses[status]
    if (description !== undefined && json !== undefined && json.description === undefined) json.description = description
  }
  return transformed
}

/**
 * The OpenAPI document at /api/openapi.json, made from the zod schemas the routes declare,
 * and Swagger UI at /api/docs with its assets served by the hub itself (a hub on a
 * workshop's LAN often has no Internet; the page loads nothing from elsewhere and sends its
 * "try it out" requests to this hub only). Both are public and carry no secret: the document
 * describes shapes, never values (no token, key or example credential).
 *
 * Only tagged routes are documented (`hideUntagged`): every API route carries a tag; the
 * dashboard's static files and the documentation's own assets do not.
 */
export async function apiDocs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tsudoi HTTP API',
        version: '1',
        description: 'The hub\'s HTTP API. docs/api.md in the repository explains each route; this document is made from the schemas the hub validates with.'
      },
      components: {
        securitySchemes: {
          bearerToken: { type: 'http', scheme: 'bearer', description: 'The admin token (organizer) or a member\'s access key.' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The HttpOnly cookie POST /api/session sets in exchange for either secret.' }
        }
      },
      tags: [
        { name: 'session', description: 'Signing in and out' },
        { name: 'admin', description: 'The organizer\'s API (admin token)' },
        { name: 'member', description: 'A member\'s own data (access key)' },
        { name: 'workshops', description: 'Join codes and joining' },
        { name: 'community', description: 'Protected comparisons, built from stored releases (docs/privacy.md)' },
        { name: 'operations', description: 'Health, metrics, this document' }
      ]
    },
    hideUntagged: true,
    transform: withResponseDescriptions,
    transformObject: jsonSchemaTransformObject
  })
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // Swagger UI's defaults, spelled out: no call to validator.swagger.io (it would send the
    // document to a third party), and links to operations kept in the page's fragment.
    validatorUrl: false,
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
    // Swagger UI sets inline styles (React style attributes): on its pages only, the hub's CSP
    // (app.ts) allows them. Scripts stay 'self', so no inline or foreign script runs there either.
    transformStaticCSP: (header) => header.replace(/style-src 'self'(?=;|$)/, "style-src 'self' 'unsafe-inline'")
  })
  app.get(OPENAPI_PATH, {
    schema: {
      tags: ['operations'],
      summary: 'This OpenAPI document',
      security: security.public,
      response: { 200: z.looseObject({ openapi: z.string() }).describe('OpenAPI 3.1'), ...errorResponses }
    }
  }, async () => app.swagger())
}
