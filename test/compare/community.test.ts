import { describe, expect, it } from 'vitest'
import { communityOverview } from '../../server/compare/community.ts'
import type { Release } from '../../server/domain/release.ts'
import { T0, member } from './fixtures.ts'

const members = [
  member('r1'), member('r2'), member('r3'),
  member('f1', { sector: 'fishery' }), member('f2', { sector: 'fishery' }), member('f3', { sector: 'fishery', sharing: false }),
  ...['w1', 'w2', 'w3', 'w4'].map((id) => member(id, { sector: 'office', workshop: 'ws-1' }))
]
const shown = (members: number): Release => ({ time: T0, members, membersBand: `${members}–4`, p50: 1, mean: 1, meanInterval: [0.8, 1.2] })

describe('communityOverview', () => {
  it('names only sectors with k sharing, non-workshop members', () => {
    expect(communityOverview(members, [], 3).members).toEqual({ total: 5, bySector: { restaurant: 3 } })
  })

  it('offers the community pairs with a shown release, "all" first, with the band and never a workshop', () => {
    const latest = [
      { series: 'power', cohort: 'sector:restaurant', release: shown(3) },
      { series: 'power', cohort: 'sector:fishery', release: shown(3) },
      { series: 'power', cohort: 'all', release: shown(5) },
      { series: 'co2', cohort: 'sector:retail', release: { time: T0, suppressed: true } as const },
      { series: 'co2', cohort: 'workshop:ws-1', release: shown(3) },
      { series: 'co2', cohort: 'sector:office', release: shown(5) }
    ]
    expect(communityOverview(members, latest, 3).comparable).toEqual([
      { metric: 'co2', sector: 'office', members: 5 },
      { metric: 'power', sector: 'all', members: 5 },
      { metric: 'power', sector: 'fishery', members: 3 },
      { metric: 'power', sector: 'restaurant', members: 3 }
    ])
  })

  it('offers no "all sectors" card when every sharing member is in one sector: it would be the same chart twice', () => {
    const latest = [
      { series: 'power', cohort: 'sector:restaurant', release: shown(3) },
      { series: 'power', cohort: 'all', release: shown(3) }
    ]
    const restaurants = members.filter((m) => m.sector === 'restaurant' || m.workshop !== null)
    expect(communityOverview(restaurants, latest, 3).comparable).toEqual([{ metric: 'power', sector: 'restaurant', members: 3 }])
    // With fishery members too, "all" can hold them in buckets where no sector reached k: kept.
    expect(communityOverview(members, latest, 3).comparable).toHaveLength(2)
  })
})
