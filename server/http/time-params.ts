import { TsudoiError } from '../errors.ts'
import { bucketSchema } from '../store/buckets.ts'

// The query fields themselves are part of the API contract (server/api-schemas/time.ts).
export { timeParam, windowFields } from '../api-schemas/time.ts'

/** Fills in a window's defaults (the last `defaultSpan` ms up to now) and checks its order. */
export function resolveWindow (window: { from?: number, to?: number }, now: () => number, defaultSpan: number): { from: number, to: number } {
  const to = window.to ?? now()
  const from = window.from ?? to - defaultSpan
  if (from >= to) throw new TsudoiError('VALIDATION_FAILED', 'from: must be before to', { fields: [{ field: 'from', message: 'must be before to' }] })
  return { from, to }
}

export { bucketSchema }
