import { z } from 'zod'

// Bucket sizes are written as a number and a unit (`30s`, `5m`, `1h`, `1d`), like InfluxQL's
// GROUP BY time(…). Buckets are aligned to the Unix epoch (UTC), as InfluxDB aligns them.
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

export const bucketSchema = z.string().regex(/^\d{1,6}[smhd]$/, 'a number and a unit: 30s, 5m, 1h, 1d')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms >= 1000 && ms <= 366 * UNIT_MS.d, 'between 1s and 366d')

export const floorTo = (time: number, size: number): number => Math.floor(time / size) * size

/** InfluxQL duration literal for a bucket size in ms (it takes the same units). */
export function toDurationLiteral (ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms}ms`
}
