// The anonymity thresholds (docs/privacy.md): a cell is released only when at least
// k distinct members contributed, and quantiles need more members still. A quantile of a few
// members is one member's (perturbed) value or between two: in a cohort of five, whenever
// the factors swapped two neighbours, the published median or quartile landed within p % of
// another member's true value (the attack suite measured 33 % and 0 % of p50 and p75
// estimates off by p %). Below ten members only the mean is published, with its interval.
// Never a min or a max: they are one member's value by definition, whatever the count.
// The release itself: release/release-cell.ts.
export const MIN_K = 3

/** Members a release needs before each figure is shown (on top of k): the median and quartiles, then deciles. */
export const QUARTILES_FROM = 10
export const DECILES_FROM = 20

export function assertK (k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be a whole number of at least ${MIN_K} (got ${k})`)
}
