// Where a member stands among the others in a bucket, 0–100.
//
// Method: the percentage of the OTHER contributors whose value is strictly lower, plus half
// of those with exactly the same value (the "mid-rank" percentile rank). The member itself
// is never among the others, so the lowest of a bucket gets 0, the highest 100, and a member
// tied with everyone 50 — ties neither flatter nor penalise it.
export const RANK_METHOD = 'share-of-others-below-plus-half-ties'

export function percentileRank (value: number, others: readonly number[]): number {
  if (others.length === 0) throw new RangeError('no rank without others to compare with')
  let below = 0
  let tied = 0
  for (const other of others) {
    if (other < value) below++
    else if (other === value) tied++
  }
  return (100 * (below + tied / 2)) / others.length
}
