import type { z } from 'zod'
import { TsudoiError } from './errors.ts'

/** Parses a request part with a zod schema; a failure is a 400 that names every bad field. */
export function parse<S extends z.ZodType> (schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  throw validationFailed(result.error.issues)
}

/** The 400 for a failed parse, naming every bad field; the HTTP routes' schema validation raises the same one. */
export function validationFailed (issues: readonly z.core.$ZodIssue[]): TsudoiError {
  const fields = issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }))
  const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ')
  return new TsudoiError('VALIDATION_FAILED', message, { fields })
}
