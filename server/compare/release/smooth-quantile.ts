// Quantiles of a release: the Harrell–Davis estimator (Harrell & Davis 1982, "A new
// distribution-free quantile estimator", Biometrika 69(3)) — a weighted mean of ALL the
// sorted values, with Beta(q(n+1), (1−q)(n+1)) weights concentrated around the q-th one.
//
// Why not the definition-7 quantile (../quantile.ts) the unprotected engine used: that is
// one member's value, or the interpolation of two, so a published p50 of 3 IS one member's
// (perturbed) contribution. Harrell–Davis gives every member a positive weight, so no
// figure is ever an order statistic, and averaging over the neighbours of the q-th value
// also averages their permanent factors: with factors of ±13–19 % a single perturbed order
// statistic is off by one whole factor, the weighted mean by much less (docs/privacy.md, "Utility").
export const RELEASE_QUANTILE_METHOD = 'harrell-davis'

/** Q(percent) of values sorted ascending. */
export function smoothQuantile (sorted: readonly number[], percent: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('no quantile of an empty set')
  if (!(percent > 0 && percent < 100)) throw new RangeError(`percentile ${percent} is outside (0, 100)`)
  const q = percent / 100
  const a = q * (n + 1)
  const b = (1 - q) * (n + 1)
  let total = 0
  let previous = 0
  for (let i = 1; i <= n; i++) {
    const cumulative = i === n ? 1 : regularizedBeta(i / n, a, b)
    total += (cumulative - previous) * sorted[i - 1]!
    previous = cumulative
  }
  return total
}

/** I_x(a, b), the regularized incomplete beta function (continued fraction, modified Lentz). */
export function regularizedBeta (x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return front * betaFraction(x, a, b) / a
  return 1 - front * betaFraction(1 - x, b, a) / b
}

function betaFraction (x: number, a: number, b: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - (a + b) * x / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < 1e-14) break
  }
  return h
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): 15 significant digits. */
function logGamma (x: number): number {
  const g = 7
  const coefficients = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let sum = coefficients[0]!
  for (let i = 1; i < g + 2; i++) sum += coefficients[i]! / (z + i)
  const t = z + g + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}
