import { DECILES_FROM, QUARTILES_FROM, assertK } from '../bucket-stats.ts'
import { mean, quantile } from '../quantile.ts'
import { countBand } from './count-band.ts'
import { protectedSum } from './mean-audit.ts'
import { type PerturbationParams, cellMultiplier, meanSign, memberFactor } from './perturbation.ts'
import { keyedUniform } from './keyed-random.ts'
import type { Release, SuppressedRelease } from '../../domain/release.ts'

// One cell of a release — one metric, cohort, normalisation, bucket size and bucket — from
// the true per-member values in it. Pure and deterministic: the same cell and contributions
// always give the same release (docs/privacy.md, "Why it holds").

/** What a cell is about. `series` names the metric (or role) whose member factors apply. */
export interface CellId { series: string, size: string, time: number }

export interface Contribution { member: string, value: number }

export interface ReleaseParams {
  k: number
  /** The hub's privacy secret (registry setting): without it no factor or cell key can be computed. */
  secret: string
  perturbation: PerturbationParams
}

export function suppressed (time: number): SuppressedRelease {
  return { time, suppressed: true }
}

/** The release of one cell; primary suppression only (secondary: secondary-suppression.ts). */
export function releaseCell (cell: CellId, contributions: readonly Contribution[], params: ReleaseParams): Release {
  assertK(params.k)
  const members = distinctMembers(contributions)
  if (members.size < params.k) return suppressed(cell.time)

  const { secret, perturbation } = params
  // In member order, so that the sums (mean-audit.ts) come out the same to the last bit however the contributions arrived.
  const ordered = [...members].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  const values = ordered.map(([, value]) => value)
  const perturbed = ordered.map(([member, value]) => value * memberFactor(secret, perturbation, cell.series, member))
  const sorted = [...perturbed].sort((a, b) => a - b)
  // The cell key: the cell and exactly who is in it (the ABS method keys on the records). Two
  // cohorts with the same contributors (a sector that is the whole community) get the same
  // perturbation, so publishing both gives nothing to average.
  const key = [cell.series, cell.size, cell.time, ...ordered.map(([member]) => member)]
  const figure = (statistic: string, value: number): number => value * cellMultiplier(secret, perturbation, key, statistic)
  // Quantiles by definition 7 (../quantile.ts) of the PERTURBED values: robust to one large
  // business, unlike a weighted estimator (Harrell–Davis gave a 90th-percentile median error
  // of 207 % on 50 simulated shops, definition 7 16 %), and never a true value: each is a
  // member's factor-scaled contribution, or between two, times the cell key.
  const at = (percent: number): number => figure(`p${percent}`, quantile(sorted, percent))
  const n = members.size
  // The mean is the protected sum over n (mean-audit.ts): no multiplicative cell key, whose
  // size grows with the whole cohort and could cancel one member's factor.
  const shownMean = protectedSum({ values, perturbed }, perturbation.p, meanSign(secret, cell.series), keyedUniform(secret, ['mean', ...key])) / n
  const band = countBand(n, params.k)
  const half = Math.abs(shownMean) * meanIntervalHalfWidth(perturbation, band.min)
  return {
    time: cell.time,
    members: band.min,
    membersBand: band.label,
    ...(n >= DECILES_FROM ? { p10: at(10) } : {}),
    ...(n >= QUARTILES_FROM ? { p25: at(25), p50: at(50), p75: at(75) } : {}),
    ...(n >= DECILES_FROM ? { p90: at(90) } : {}),
    mean: shownMean,
    meanInterval: [shownMean - half, shownMean + half]
  }
}

/**
 * Relative half-width of the mean's interval, from public parameters and the band only (a
 * width computed from the actual factors would leak them). A mean of n equal contributions
 * has relative error sd √(E[(f−1)²]/n) from the factors, the factor term doubled for cells
 * where a few members dominate (1.645 sd ≈ 90 % two-sided), and the protective shift
 * (mean-audit.ts) adds at most about (p + p′max)·max|v| / T, taken as (p + p′max)/√n.
 */
export function meanIntervalHalfWidth (perturbation: PerturbationParams, members: number): number {
  const lo = perturbation.minFactorOffset
  const hi = perturbation.maxFactorOffset
  const factorVariance = (lo * lo + lo * hi + hi * hi) / 3
  return 1.645 * Math.sqrt(2 * factorVariance / members) + (perturbation.p + hi) / Math.sqrt(members)
}

/** member → value; should a member repeat, the later value replaces the earlier (never counted twice toward k). */
function distinctMembers (contributions: readonly Contribution[]): Map<string, number> {
  const members = new Map<string, number>()
  for (const { member, value } of contributions) {
    if (Number.isFinite(value)) members.set(member, value)
  }
  return members
}
