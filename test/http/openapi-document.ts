import { z } from 'zod'

// What the OpenAPI tests read from /api/openapi.json, and the structure OpenAPI 3.1 requires
// of it (spec.openapis.org/oas/v3.1.0: OpenAPI Object, Paths, Operation, Responses,
// Security Requirement). Checked with zod here rather than with a validator package: the
// fields below are the ones a client generator and Swagger UI rely on.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

const parameter = z.object({
  name: z.string().min(1),
  in: z.enum(['query', 'header', 'path', 'cookie']),
  required: z.boolean().optional(),
  schema: z.record(z.string(), z.unknown()).optional()
})

const operation = z.object({
  tags: z.array(z.string()).min(1),
  summary: z.string().min(1),
  parameters: z.array(parameter).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: z.unknown() })) }).optional(),
  // [OpenAPI 3.1, 4.8.16] keys are status codes or the 1XX–5XX ranges (or default).
  responses: z.record(z.string().regex(/^([1-5](\d\d|XX)|default)$/), z.object({ description: z.string() })),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional()
})

export const openApiDocument = z.object({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.object({ title: z.string().min(1), version: z.string().min(1) }),
  paths: z.record(z.string().regex(/^\//), z.partialRecord(z.enum(METHODS), operation)),
  components: z.object({
    schemas: z.record(z.string(), z.unknown()).optional(),
    securitySchemes: z.record(z.string(), z.object({ type: z.enum(['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect']) }))
  }),
  tags: z.array(z.object({ name: z.string(), description: z.string().optional() }))
})
export type OpenApiDocument = z.infer<typeof openApiDocument>
export type Operation = z.infer<typeof operation>

/** `METHOD /path/{param}` for every operation of the document. */
export function documentedOperations (document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)).sort()
}

/** Fastify's `/a/:id/qr.:format` as OpenAPI writes it: `/a/{id}/qr.{format}`. */
export const openApiPath = (fastifyPath: string): string => fastifyPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')

/** Every `$ref` in a JSON value. */
export function refsIn (value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) => key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner))
}

/** Every key name used anywhere in a JSON value. */
export function keysIn (value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysIn(inner)])
}
