import { z } from 'zod'
import { parseDuration } from '../domain/duration.ts'

// Relative times reach back at most a century: anything further is a typo, not a window.
const MAX_RELATIVE_MS = 100 * 366 * 86_400_000

/** `from`/`to`: epoch ms, ISO 8601, `now`, or relative to now (`-24h`, `-7d`). */
export function timeParam (now: () => number) {
  return z.string().trim().transform((text, ctx) => {
    if (text === 'now') return now()
    const relative = text.startsWith('-') ? parseDuration(text.slice(1)) : undefined
    if (relative !== undefined && relative <= MAX_RELATIVE_MS) return now() - relative
    if (/^\d{1,15}$/.test(text)) return Number(text)
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'epoch ms, ISO 8601, now, or relative like -24h' })
      return z.NEVER
    }
    return parsed
  }).describe('epoch ms, ISO 8601, `now`, or relative to now (`-24h`, `-7d`)')
}

/** The `from`/`to` fields to spread into a query schema, so every bad field is reported at once. */
export function windowFields (now: () => number) {
  const time = timeParam(now)
  return { from: time.optional(), to: time.optional() }
}
