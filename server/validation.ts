import type { z } from 'zod'
import { TsudoiError } from './errors.ts'

/** Parses a request part with a zod schema; a failure is a 400 that names every bad field. */
export function parse<S extends z.ZodType> (schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }))
  const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ')
  throw new TsudoiError('VALIDATION_FAILED', message, { fields })
}
