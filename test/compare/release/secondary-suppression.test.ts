import { describe, expect, it } from 'vitest'
import { perturbationParams } from '../../../server/compare/release/perturbation.ts'
import { type Contribution, isSuppressedRelease } from '../../../server/compare/release/release-cell.ts'
import { releaseFamily } from '../../../server/compare/release/secondary-suppression.ts'

const params = { k: 3, secret: 's', perturbation: perturbationParams(10) }
const cell = { series: 'power', size: '1h', time: 0 }
const members = (prefix: string, n: number): Contribution[] => Array.from({ length: n }, (_, i) => ({ member: `${prefix}${i}`, value: 100 + i }))
const family = (sizes: Record<string, number>) => {
  const children = Object.entries(sizes).map(([sector, n]) => ({ cohort: `sector:${sector}`, contributions: members(sector, n) }))
  return { parent: { cohort: 'all', contributions: children.flatMap((c) => c.contributions) }, children }
}
const shownCohorts = (sizes: Record<string, number>): string[] =>
  [...releaseFamily(cell, family(sizes), params)].filter(([, release]) => !isSuppressedRelease(release)).map(([cohort]) => cohort).sort()

describe('secondary suppression', () => {
  it('hides "all" when a small sector sits beside a single published one (all − restaurants = the two ryokan)', () => {
    expect(shownCohorts({ restaurant: 5, accommodation: 2 })).toEqual(['sector:restaurant'])
  })

  it('hides the smallest other sector when several are published, keeping "all"', () => {
    expect(shownCohorts({ restaurant: 5, office: 3, retail: 2 })).toEqual(['all', 'sector:restaurant'])
  })

  it('keeps everything when the hidden sectors together reach k', () => {
    expect(shownCohorts({ restaurant: 5, retail: 2, fishery: 1 })).toEqual(['all', 'sector:restaurant'])
    expect(shownCohorts({ restaurant: 5, office: 4 })).toEqual(['all', 'sector:office', 'sector:restaurant'])
  })

  it('hides all of a family below k', () => {
    expect(shownCohorts({ restaurant: 1, office: 1 })).toEqual([])
  })
})
