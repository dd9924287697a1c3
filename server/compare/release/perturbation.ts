import { keyedSigned, keyedUniform } from './keyed-random.ts'

// The two perturbations of a release (docs/privacy.md has the argument in full):
//
// 1. A permanent factor per member and metric (noise infusion, as the U.S. Census Bureau's
//    County Business Patterns): every contribution of a member to any cell of a metric is
//    multiplied by f = 1 ± p'·(1 + u), u in [0, 0.5], the sign and u fixed by the secret. The
//    same factor in every cohort, bucket size and normalisation, so differencing two releases
//    or averaging many of them converges on f·v, never on v: |f − 1| ≥ p' always.
// 2. A cell key (the ABS / ONS cell key method): each published figure of a cell is then
//    multiplied by 1 + c·z, z in [−1, 1) a keyed function of the cell and its contributors.
//    The same cell always gets the same z, so repeating or reordering queries averages
//    nothing away; it blurs the exact ratios the permanent factor alone would keep
//    (f·v₁ / f·v₂ = v₁ / v₂).
//
// p' is chosen so that the cell key can never pull a figure dominated by one member back
// within p of its true value: (1 + p')(1 − c) ≥ 1 + p and (1 − p')(1 + c) ≤ 1 − p, that is
// p' ≥ (p + c) / (1 − c).

export interface PerturbationParams {
  /** The protection level p, as a fraction (TSUDOI_PRIVACY_P / 100). */
  p: number
  /** Largest relative cell-key perturbation c. */
  cellNoise: number
  /** Smallest |f − 1| of a member factor, p'. */
  minFactorOffset: number
  /** Largest |f − 1|: 1.5·p'. */
  maxFactorOffset: number
}

/** The protection level is a percentage: 1–30 keeps every factor positive (1.5·p' < 1). */
export const MIN_PRIVACY_P = 1
export const MAX_PRIVACY_P = 30

export function perturbationParams (percent: number): PerturbationParams {
  if (!(percent >= MIN_PRIVACY_P && percent <= MAX_PRIVACY_P)) {
    throw new RangeError(`p must be between ${MIN_PRIVACY_P} and ${MAX_PRIVACY_P} % (got ${percent})`)
  }
  const p = percent / 100
  // A quarter of p: small enough to cost little utility, large enough to blur exact ratios.
  const cellNoise = p / 4
  const minFactorOffset = (p + cellNoise) / (1 - cellNoise)
  return { p, cellNoise, minFactorOffset, maxFactorOffset: 1.5 * minFactorOffset }
}

// Factors are asked for once per member, cell and normalisation (a release run asks for the
// same few hundred thousands of times); two HMACs each. Remembered, and forgotten wholesale
// past a bound rather than tracked per entry.
const factors = new Map<string, number>()
const MAX_REMEMBERED = 100_000

/** A member's permanent factor for one metric (or role): never within p' of 1. */
export function memberFactor (secret: string, params: PerturbationParams, series: string, member: string): number {
  const key = `${secret}\u0000${params.minFactorOffset}\u0000${series}\u0000${member}`
  let factor = factors.get(key)
  if (factor === undefined) {
    if (factors.size >= MAX_REMEMBERED) factors.clear()
    factors.set(key, factor = computeFactor(secret, params, series, member))
  }
  return factor
}

function computeFactor (secret: string, params: PerturbationParams, series: string, member: string): number {
  const sign = keyedUniform(secret, ['factor-sign', series, member]) < 0.5 ? -1 : 1
  const spread = keyedUniform(secret, ['factor-size', series, member])
  const offset = params.minFactorOffset + (params.maxFactorOffset - params.minFactorOffset) * spread
  return 1 + sign * offset
}

/** The fixed direction of every mean's protective shift for one metric (mean-audit.ts). */
export function meanSign (secret: string, series: string): 1 | -1 {
  return keyedUniform(secret, ['mean-sign', series]) < 0.5 ? -1 : 1
}

/** The cell key's multiplier of one published figure: 1 + c·z, z in [−1, 1). */
export function cellMultiplier (secret: string, params: PerturbationParams, cell: readonly (string | number)[], statistic: string): number {
  return 1 + params.cellNoise * keyedSigned(secret, ['cell', ...cell, statistic])
}
