// Percentiles of one bucket's member values. One method everywhere (API, live stream,
// dashboard, open data) so that anyone can reproduce a published figure.
//
// Method: Hyndman & Fan (1996), "Sample quantiles in statistical packages", definition 7 —
// the default of numpy.quantile ('linear'), R's quantile() and Excel's PERCENTILE.INC.
// For n values sorted ascending x[0..n-1] and a percentile p in [0, 100]:
//   h = (n - 1) · p / 100,   Q(p) = x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋])
//
// When h is whole, Q(p) is exactly one of the values (p50 of an odd count, …). That is why
// releases take quantiles of the PERTURBED member values only (release/release-cell.ts): a
// published median is never a member's true value (docs/privacy.md).
export const QUANTILE_METHOD = 'hyndman-fan-7'

/** Q(percent) of values already sorted ascending, by QUANTILE_METHOD. */
export function quantile (sorted: readonly number[], percent: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('no quantile of an empty set')
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percentile ${percent} is outside 0–100`)
  // h is worked out on (n - 1) · percent, which is a whole number for whole percents, so p10
  // of 11 values is x[1] itself and not x[1] plus a rounding error's share of the next gap.
  const scaled = (n - 1) * percent
  const low = Math.floor(scaled / 100)
  const fraction = (scaled - low * 100) / 100
  const below = valueAt(sorted, low)
  if (fraction === 0) return below
  return below + fraction * (valueAt(sorted, Math.min(low + 1, n - 1)) - below)
}

export function mean (values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('no mean of an empty set')
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}

function valueAt (values: readonly number[], index: number): number {
  const value = values[index]
  if (value === undefined) throw new RangeError(`index ${index} outside ${values.length} values`)
  return value
}
