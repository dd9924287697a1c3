// Small statistics for repeated runs: the median is what tables show, the spread (min–max)
// says how far to trust it.

export function median (values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile (p in 0…100) of unsorted values. */
export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export interface Summary { median: number, min: number, max: number, n: number }

export function summarize (values: readonly number[]): Summary {
  const finite = values.filter(Number.isFinite)
  return {
    median: median(finite),
    min: finite.length === 0 ? Number.NaN : Math.min(...finite),
    max: finite.length === 0 ? Number.NaN : Math.max(...finite),
    n: finite.length
  }
}

/** "12.3 (11.9–13.0)": the median and the range of the runs. */
export function withSpread (values: readonly number[], digits = 1): string {
  const s = summarize(values)
  if (s.n === 0) return '—'
  if (s.n === 1 || s.min === s.max) return fmt(s.median, digits)
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
}

export function fmt (value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '—'
  if (Math.abs(value) >= 10_000) return Math.round(value).toLocaleString('en-US')
  return value.toFixed(digits)
}

/** "2.05×", or "—" when either side is missing. */
export function ratio (ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return '—'
  return `${(ours / theirs).toFixed(2)}×`
}
