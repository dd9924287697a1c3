import { describe, expect, it } from 'vitest'
import { perturbationParams } from '../../../server/compare/release/perturbation.ts'
import { type Contribution, releaseCell } from '../../../server/compare/release/release-cell.ts'
import { isSuppressedRelease } from '../../../server/domain/release.ts'
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
  it('hides "all" when a small sector sits beside a single published one (it would repeat the restaurants)', () => {
    expect(shownCohorts({ restaurant: 5, accommodation: 2 })).toEqual(['sector:restaurant'])
  })

  it('makes "all" from the published sectors only, so nothing is left to subtract', () => {
    expect(shownCohorts({ restaurant: 5, office: 3, retail: 2 })).toEqual(['all', 'sector:office', 'sector:restaurant'])
    const releases = releaseFamily(cell, family({ restaurant: 5, office: 3, retail: 2 }), params)
    const published = [...members('restaurant', 5), ...members('office', 3)]
    expect(releases.get('all')).toEqual(releaseCell(cell, published, params))
    expect(releases.get('all')).not.toEqual(releaseCell(cell, [...published, ...members('retail', 2)], params))
  })

  it('hides "all" when the hidden sectors leave only one published', () => {
    expect(shownCohorts({ restaurant: 5, retail: 2, fishery: 1 })).toEqual(['sector:restaurant'])
  })

  it('keeps everything when every sector reaches k', () => {
    expect(shownCohorts({ restaurant: 5, office: 4 })).toEqual(['all', 'sector:office', 'sector:restaurant'])
    const both = [...members('restaurant', 5), ...members('office', 4)]
    expect(releaseFamily(cell, family({ restaurant: 5, office: 4 }), params).get('all')).toEqual(releaseCell(cell, both, params))
  })

  it('hides all of a family below k', () => {
    expect(shownCohorts({ restaurant: 1, office: 1 })).toEqual([])
  })

  it('shows "all" over every member when no sector is published (nothing to subtract it from)', () => {
    expect(shownCohorts({ restaurant: 2, accommodation: 2 })).toEqual(['all'])
  })
})
