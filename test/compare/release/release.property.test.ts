import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { meanSign, memberFactor, perturbationParams } from '../../../server/compare/release/perturbation.ts'
import { type Contribution, type ReleaseParams, releaseCell } from '../../../server/compare/release/release-cell.ts'
import { type ShownRelease, isSuppressedRelease } from '../../../server/domain/release.ts'
import { quantile } from '../../../server/compare/quantile.ts'
import { type Family, releaseFamily } from '../../../server/compare/release/secondary-suppression.ts'

const RUNS = { numRuns: 300 }
const T = Date.UTC(2026, 0, 5)
const idArb = fc.stringMatching(/^[0-9a-f]{6}$/).map((hex) => `m-${hex}`)
const valueArb = fc.double({ min: 0.5, max: 1e6, noNaN: true })
const contributionsArb = fc.uniqueArray(fc.record({ member: idArb, value: valueArb }), { minLength: 0, maxLength: 25, selector: (c) => c.member })
const paramsArb = fc.record({ k: fc.integer({ min: 3, max: 6 }), p: fc.integer({ min: 1, max: 30 }), secret: fc.string({ minLength: 1, maxLength: 12 }) })
  .map(({ k, p, secret }): ReleaseParams => ({ k, secret, perturbation: perturbationParams(p) }))
const FIGURES = ['p10', 'p25', 'p50', 'p75', 'p90', 'mean'] as const

const figures = (release: ShownRelease): number[] => FIGURES.flatMap((name) => release[name] === undefined ? [] : [release[name]])
const cell = { series: 'power', size: '1h', time: T }

describe('the release engine (property)', () => {
  it('is deterministic per cell: the same contributions in any order give the same release', () => {
    fc.assert(fc.property(paramsArb, contributionsArb, fc.integer(), (params, contributions, seed) => {
      const shuffled = fc.sample(fc.shuffledSubarray(contributions, { minLength: contributions.length }), { seed, numRuns: 1 })[0]!
      expect(releaseCell(cell, shuffled, params)).toEqual(releaseCell(cell, contributions, params))
    }), RUNS)
  })

  it('suppresses below k and then says nothing but that', () => {
    fc.assert(fc.property(paramsArb, contributionsArb, (params, contributions) => {
      const release = releaseCell(cell, contributions, params)
      if (contributions.length < params.k) expect(release).toEqual({ time: T, suppressed: true })
      else expect(isSuppressedRelease(release)).toBe(false)
    }), RUNS)
  })

  it('never publishes an order statistic: no figure is a member\'s value, true or perturbed', () => {
    fc.assert(fc.property(paramsArb, contributionsArb, (params, contributions) => {
      const release = releaseCell(cell, contributions, params)
      if (isSuppressedRelease(release)) return
      const perturbed = contributions.map((c) => c.value * memberFactor(params.secret, params.perturbation, cell.series, c.member))
      fc.pre(new Set(perturbed).size > 1)
      const values = new Set([...contributions.map((c) => c.value), ...perturbed])
      for (const figure of figures(release)) expect(values.has(figure)).toBe(false)
    }), RUNS)
  })

  it('keeps a member that dominates a cell at least p away, whatever the others contribute', () => {
    fc.assert(fc.property(paramsArb, contributionsArb, valueArb, idArb, (params, others, value, target) => {
      fc.pre(!others.some((c) => c.member === target) && others.length + 1 >= params.k)
      // The others (colluders, fakes) contribute 0: n·mean isolates the target's contribution.
      const contributions: Contribution[] = [...others.map((c) => ({ member: c.member, value: 0 })), { member: target, value }]
      const release = releaseCell(cell, contributions, params)
      if (isSuppressedRelease(release)) throw new Error('k members present, yet suppressed')
      // Every figure is a weighted sum of perturbed values with public weights (1/n for the mean,
      // the interpolation weights of definition 7 for quantiles): dividing by the target's weight
      // isolates its contribution; a figure that gives it no weight says nothing about it.
      const n = contributions.length
      const estimates = FIGURES.flatMap((name) => {
        const shown = release[name]
        if (shown === undefined) return []
        const weight = name === 'mean' ? 1 / n : quantile([...Array<number>(n - 1).fill(0), 1], Number(name.slice(1)))
        return weight === 0 ? [] : [shown / weight]
      })
      for (const estimate of estimates) expect(Math.abs(estimate - value) / value).toBeGreaterThanOrEqual(params.perturbation.p * (1 - 1e-9))
    }), RUNS)
  })

  it('keeps every member p away from what all the others can read off the mean, knowing their true or perturbed values, always on one side', () => {
    fc.assert(fc.property(paramsArb, contributionsArb, (params, contributions) => {
      const release = releaseCell(cell, contributions, params)
      if (isSuppressedRelease(release)) return
      const { p } = params.perturbation
      const sum = release.mean * contributions.length
      const side = meanSign(params.secret, cell.series)
      const perturbed = (c: Contribution): number => c.value * memberFactor(params.secret, params.perturbation, cell.series, c.member)
      for (const target of contributions) {
        const others = contributions.filter((c) => c !== target)
        const fromTrue = sum - others.reduce((total, c) => total + c.value, 0)
        const fromPerturbed = sum - others.reduce((total, c) => total + perturbed(c), 0)
        // Off by p·|v| or more, on the metric's fixed side: averaging many buckets cannot cancel it (mean-audit.ts).
        for (const estimate of [fromTrue, fromPerturbed]) {
          expect(side * (estimate - target.value)).toBeGreaterThanOrEqual(p * Math.abs(target.value) * (1 - 1e-9) - 1e-9 * Math.abs(sum))
        }
      }
    }), RUNS)
  })

  it('applies k and secondary suppression to every family of nested cohorts', () => {
    const familyArb = fc.record({
      params: paramsArb,
      sectors: fc.array(contributionsArb, { minLength: 1, maxLength: 5 })
    })
    fc.assert(fc.property(familyArb, ({ params, sectors }) => {
      // Each member in one sector only, as in the registry.
      const seen = new Set<string>()
      const children = sectors.map((contributions, i) => ({
        cohort: `sector:${i}`,
        contributions: contributions.filter((c) => !seen.has(c.member) && seen.add(c.member))
      }))
      const family: Family = { parent: { cohort: 'all', contributions: children.flatMap((c) => c.contributions) }, children }
      const releases = releaseFamily(cell, family, params)
      const size = (cohort: string): number => family.children.find((c) => c.cohort === cohort)?.contributions.length ?? family.parent.contributions.length
      for (const [cohort, release] of releases) {
        if (!isSuppressedRelease(release)) expect(size(cohort)).toBeGreaterThanOrEqual(params.k)
        else expect(Object.keys(release).sort()).toEqual(['suppressed', 'time'])
      }
      // A shown parent is made of the published children only: minus them, it leaves nobody.
      const published = children.filter((c) => c.contributions.length > 0 && !isSuppressedRelease(releases.get(c.cohort)!))
      const parent = releases.get('all')!
      if (!isSuppressedRelease(parent)) {
        const union = published.length === 0 ? family.parent.contributions : published.flatMap((c) => c.contributions)
        expect(parent).toEqual(releaseCell(cell, union, params))
        const hidden = children.filter((c) => c.contributions.length > 0 && isSuppressedRelease(releases.get(c.cohort)!))
        if (hidden.length > 0) expect(published.length).not.toBe(1) // it would repeat that child
      }
      // Empty sectors are not cells at all.
      for (const child of children) expect(releases.has(child.cohort)).toBe(child.contributions.length > 0)
    }), RUNS)
  })

  it('gives a member the same factor in every cohort, bucket and normalisation of a metric', () => {
    fc.assert(fc.property(paramsArb, idArb, (params, member) => {
      const factor = memberFactor(params.secret, params.perturbation, 'power', member)
      const offset = Math.abs(factor - 1)
      expect(offset).toBeGreaterThanOrEqual(params.perturbation.minFactorOffset)
      expect(offset).toBeLessThanOrEqual(params.perturbation.maxFactorOffset)
      expect(memberFactor(params.secret, params.perturbation, 'power', member)).toBe(factor)
    }), RUNS)
  })
})
