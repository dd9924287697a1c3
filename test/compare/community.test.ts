import { describe, expect, it } from 'vitest'
import { communityOverview } from '../../server/compare/community.ts'
import { member } from './fixtures.ts'

const members = [
  member('r1'), member('r2'), member('r3'),
  member('f1', { sector: 'fishery' }), member('f2', { sector: 'fishery' }), member('f3', { sector: 'fishery', sharing: false }),
  ...['w1', 'w2', 'w3', 'w4'].map((id) => member(id, { sector: 'office', workshop: 'ws-1' }))
]

describe('communityOverview', () => {
  it('names only sectors with k sharing, non-workshop members', () => {
    expect(communityOverview(members, [], 3)).toEqual({ members: { total: 5, bySector: { restaurant: 3 } }, comparable: [] })
    expect(communityOverview(members, [], 2).members).toEqual({ total: 5, bySector: { fishery: 2, restaurant: 3 } })
  })

  it('offers metric/sector pairs k members can fill, and "all" across sectors', () => {
    const presence = [
      { metric: 'energy', sector: 'fishery', members: 3 }, // the store also counts f3, who does not share
      { metric: 'energy', sector: 'restaurant', members: 3 },
      { metric: 'temperature', sector: 'restaurant', members: 5 }, // more than the sector has: capped
      { metric: 'co2', sector: 'fishery', members: 2 },
      { metric: 'co2', sector: 'office', members: 4 } // workshop members only
    ]
    expect(communityOverview(members, presence, 3)).toEqual({
      members: { total: 5, bySector: { restaurant: 3 } },
      comparable: [
        { metric: 'energy', sector: 'all', members: 5 },
        { metric: 'energy', sector: 'restaurant', members: 3 },
        { metric: 'temperature', sector: 'all', members: 3 },
        { metric: 'temperature', sector: 'restaurant', members: 3 }
      ]
    })
  })

  it('lists nothing when k is larger than any group', () => {
    const presence = [{ metric: 'energy', sector: 'restaurant', members: 3 }, { metric: 'energy', sector: 'fishery', members: 2 }]
    expect(communityOverview(members, presence, 6)).toEqual({ members: { total: 5, bySector: {} }, comparable: [] })
  })
})
