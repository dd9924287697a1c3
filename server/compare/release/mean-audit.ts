// The published mean of a cell, made so that the p % rule holds against colluders whatever
// they know (docs/privacy.md, "Why it holds"). Members colluding against one member t of a
// cell of n know n (the roster) and their own values; from the published sum S (n × the
// mean) they estimate t's value as S minus their own contributions, taken either
//   (a) as their true values:      S − (T − v_t), off by E = S − T, the same for every t; or
//   (b) as their perturbed values: S − (P − f_t·v_t), off by S − P + (f_t − 1)·v_t,
// where T and P are the true and the perturbed (factor-scaled) sums. With S = P the factors
// alone keep (b) at least p′ away, but (a) is off by Σ(f_i − 1)·v_i, which cancels to nearly
// nothing whenever the members' factor errors offset each other (the attack suite saw 58 %
// of a cohort of five read within p %). So S = P + δ, with δ the smallest shift of one fixed
// direction s that keeps both errors at least p·|v_t| for every t, in that direction:
//   s·(E)                  ≥ p·max|v|      for (a),
//   s·(δ + (f_t − 1)·v_t)  ≥ p·|v_t|       for (b), every t,
// scaled up by a keyed 0–10 % so that its size is not exact. s is a keyed sign per metric,
// fixed for good: every error of a member's estimate, in every bucket, then lies on the same
// side, so averaging many buckets cannot cancel them (long-run averaging converges at least
// p % away). δ is a function of the cell alone: the same cell always gets the same figure.

export interface MeanCell {
  /** The members' true values. */
  values: readonly number[]
  /** The same members' perturbed values f_i·v_i, in the same order. */
  perturbed: readonly number[]
}

/** The sum to publish (n × the mean): P + δ as above. `sign` is ±1, `blur` in [0, 1). */
export function protectedSum (cell: MeanCell, p: number, sign: 1 | -1, blur: number): number {
  const trueSum = sum(cell.values)
  const perturbedSum = sum(cell.perturbed)
  let largest = 0
  // The least s·δ each estimate needs; 0 where it is already p away on the s side.
  let need = 0
  for (let t = 0; t < cell.values.length; t++) {
    const value = cell.values[t]!
    largest = Math.max(largest, Math.abs(value))
    need = Math.max(need, p * Math.abs(value) - sign * (cell.perturbed[t]! - value))
  }
  need = Math.max(need, p * largest - sign * (perturbedSum - trueSum))
  return perturbedSum + sign * need * (1 + blur / 10)
}

function sum (values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}
