// The anonymity thresholds (docs/privacy.md): a cell is released only when at least
// k distinct members contributed, and finer quantiles need more members — with fewer, a p10
// or a quartile sits too close to one member. Never a min or a max: they are one member's
// value by definition, whatever the count. The release itself: release/release-cell.ts.
export const MIN_K = 3

/** Members a release needs before each figure is shown (on top of k). */
export const QUARTILES_FROM = 5
export const DECILES_FROM = 10

export function assertK (k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be a whole number of at least ${MIN_K} (got ${k})`)
}
