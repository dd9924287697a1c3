// Durations as people type them: `500ms`, `10s`, `5m`, `1h30m`, `7d`, `2w`.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration (text: string): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  PART.lastIndex = 0
  let total = 0
  let consumed = 0
  for (let match = PART.exec(trimmed); match !== null; match = PART.exec(trimmed)) {
    total += Number(match[1]) * (UNITS[match[2] ?? ''] ?? Number.NaN)
    consumed = PART.lastIndex
  }
  return consumed === trimmed.length && Number.isFinite(total) ? total : undefined
}

/** A short human form: 90000 → "1m30s", 604800000 → "7d". */
export function formatDuration (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const parts: string[] = []
  let rest = Math.round(ms / 1000)
  for (const [unit, seconds] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / seconds)
    if (n > 0) parts.push(`${n}${unit}`)
    rest -= n * seconds
  }
  return parts.join('')
}
