import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { SESSION_COOKIE } from './auth.ts'

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
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject
  })
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // Swagger UI's defaults, spelled out: no call to validator.swagger.io (it would send the
    // document to a third party), and links to operations kept in the page's fragment.
    validatorUrl: false,
    uiConfig: { deepLinking: true, tryItOutEnabled: false }
  })
  app.get(OPENAPI_PATH, {
    schema: { tags: ['operations'], summary: 'This OpenAPI document', security: security.public }
  }, async () => app.swagger())
}
