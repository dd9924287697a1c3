import type { FastifySchemaCompiler } from 'fastify'
import { serializerCompiler } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { validationFailed } from '../validation.ts'

/**
 * Request validation from the zod schemas declared on each route (server/api-schemas/).
 * A failure is the hub's own 400 (`VALIDATION_FAILED`, every bad field named, the same
 * shape `parse` in server/validation.ts gives), not Fastify's `FST_ERR_VALIDATION`: a
 * TsudoiError keeps its code through Fastify's wrapper and reaches error-handler.ts as is.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data) => {
  // A request without a body reaches the validator as null; the routes always read a
  // missing body as `{}`, so the reason names the missing fields rather than "expected object".
  const input = httpPart === 'body' && (data === null || data === undefined) ? {} : data
  const result = schema.safeParse(input)
  return result.success ? { value: result.data } : { error: validationFailed(result.error.issues) }
}

/**
 * Responses are encoded through their zod schema and then stringified: a field the schema
 * does not list never leaves the hub, and a handler that breaks its contract fails
 * (500, logged) instead of sending a shape the dashboard cannot read.
 */
export { serializerCompiler }
