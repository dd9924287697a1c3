import { buildCommunity, type Community, type SectorShare } from '../../device-sim/community.ts'
import { jst } from '../../device-sim/calendar.ts'

/** A Monday in early August 2026 (summer: air conditioning, warm sea) and one in January. */
export const SUMMER_WEEK = jst(2026, 8, 3)
export const WINTER_WEEK = jst(2026, 1, 19)
export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000

export function community (sectors: readonly SectorShare[], options: { seed?: number, members?: number, devicesPerMember?: number, meterEpoch?: number } = {}): Community {
  return buildCommunity({
    seed: options.seed ?? 1,
    members: options.members ?? sectors.reduce((sum, s) => sum + (s.count ?? 1), 0),
    sectors,
    devicesPerMember: options.devicesPerMember ?? 3,
    format: 'json',
    meterEpoch: options.meterEpoch ?? SUMMER_WEEK - 30 * DAY
  })
}

/** Times from `start` for `days` days every `step`. */
export function times (start: number, days: number, step: number): number[] {
  const out: number[] = []
  for (let t = start; t < start + days * DAY; t += step) out.push(t)
  return out
}

export const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1)

export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
