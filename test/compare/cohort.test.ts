import { describe, expect, it } from 'vitest'
import { cohortFor } from '../../server/compare/cohort.ts'
import { divisorsFor, normalize } from '../../server/compare/normalize.ts'
import { T0, member, rows } from './fixtures.ts'

const members = [
  member('a', { floorArea: 120, seats: 30, rooms: null }), member('b', { sharing: false, floorArea: 0 }),
  member('w1', { workshop: 'ws' }), member('w2', { workshop: 'ws', sharing: false })
]

describe('cohortFor', () => {
  it('is the sharing, non-workshop members for anyone outside a workshop', () => {
    expect(cohortFor(members)).toEqual({ peers: new Set(['a']), members: [members[0], members[1]] })
    expect(cohortFor(members, 'b')).toEqual({ peers: new Set(['a']), members: [members[0], members[1]], caller: 'b' })
  })

  it('is the caller\'s own workshop for a workshop member', () => {
    expect(cohortFor(members, 'w2')).toEqual({ peers: new Set(['w1']), members: [members[2], members[3]], caller: 'w2' })
  })

  it('drops a caller the registry does not know', () => {
    expect(cohortFor(members, 'nobody')).toEqual(cohortFor(members))
  })
})

describe('divisorsFor and normalize', () => {
  it('takes only positive figures', () => {
    expect(divisorsFor(members, 'm2')).toEqual(new Map([['a', 120]]))
    expect(divisorsFor(members, 'seat')).toEqual(new Map([['a', 30]]))
    expect(divisorsFor(members, 'room')).toEqual(new Map())
  })

  it('divides and drops members without a divisor', () => {
    expect(normalize(rows(T0, { a: 60, b: 5 }), new Map([['a', 120]]))).toEqual([{ time: T0, member: 'a', value: 0.5 }])
  })
})
