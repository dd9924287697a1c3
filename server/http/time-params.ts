import { z } from 'zod'
import { TsudoiError } from '../errors.ts'
import { bucketSchema } from '../store/buckets.ts'

const RELATIVE = /^-(\d{1,6})([smhdw])$/
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** `from`/`to`: epoch ms, ISO 8601, `now`, or relative to now (`-24h`, `-7d`). */
export function timeParam (now: () => number) {
  return z.string().trim().transform((text, ctx) => {
    if (text === 'now') return now()
    const relative = RELATIVE.exec(text)
    if (relative) return now() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]
    if (/^\d{1,15}$/.test(text)) return Number(text)
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'epoch ms, ISO 8601, now, or relative like -24h' })
      return z.NEVER
    }
    return parsed
  })
}

/** The `from`/`to` fields to spread into a query schema, so every bad field is reported at once. */
export function windowFields (now: () => number) {
  const time = timeParam(now)
  return { from: time.optional(), to: time.optional() }
}

/** Fills in a window's defaults (the last `defaultSpan` ms up to now) and checks its order. */
export function resolveWindow (window: { from?: number, to?: number }, now: () => number, defaultSpan: number): { from: number, to: number } {
  const to = window.to ?? now()
  const from = window.from ?? to - defaultSpan
  if (from >= to) throw new TsudoiError('VALIDATION_FAILED', 'from: must be before to', { fields: [{ field: 'from', message: 'must be before to' }] })
  return { from, to }
}

export { bucketSchema }
