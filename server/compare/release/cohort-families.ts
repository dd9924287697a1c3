import type { Member } from '../../registry/registry.ts'
import { type Per, divisorsFor, perValues } from '../normalize.ts'
import type { Contribution } from './release-cell.ts'
import type { Family } from './secondary-suppression.ts'

// Who a release is made among, at the moment it is made (cohort.ts has the rules: workshop
// members compare only within their workshop; a member without consent is in no
// distribution; a member the registry does not know counts for no one). Cohort ids:
//   all, sector:<s>                      the community and its sectors
//   workshop:<id>, workshop:<id>:<s>     a workshop room and its sectors
// Each normalisation ('' for none, m2, seat, room) is a family of its own: members without
// the figure are left out of it, as normalize.ts leaves them out.

export const NO_PER = ''
export const releasePers: ReadonlyArray<Per | typeof NO_PER> = [NO_PER, ...perValues]

export interface CellFamily { per: Per | typeof NO_PER, family: Family }

export function cohortFamilies (values: ReadonlyMap<string, number>, members: readonly Member[]): CellFamily[] {
  const registered = new Map(members.map((member) => [member.id, member]))
  const counted = [...values].flatMap(([id, value]) => {
    const member = registered.get(id)
    return member === undefined || !member.sharing ? [] : [{ member, value }]
  })
  const out: CellFamily[] = []
  for (const per of releasePers) {
    const divisors = per === NO_PER ? undefined : divisorsFor(counted.map((c) => c.member), per)
    const groups = new Map<string, Map<string, Contribution[]>>() // parent cohort → child cohort → contributions
    for (const { member, value } of counted) {
      const divisor = divisors === undefined ? 1 : divisors.get(member.id)
      if (divisor === undefined) continue
      const parent = member.workshop === null ? 'all' : `workshop:${member.workshop}`
      const child = member.workshop === null ? `sector:${member.sector}` : `workshop:${member.workshop}:${member.sector}`
      let children = groups.get(parent)
      if (children === undefined) groups.set(parent, children = new Map())
      const list = children.get(child) ?? []
      list.push({ member: member.id, value: value / divisor })
      children.set(child, list)
    }
    for (const [parent, children] of groups) {
      const childList = [...children].map(([cohort, contributions]) => ({ cohort, contributions }))
      out.push({ per, family: { parent: { cohort: parent, contributions: childList.flatMap((c) => c.contributions) }, children: childList } })
    }
  }
  return out
}

/** The cohort a request reads: the caller's workshop room, or the community; narrowed to a sector when asked. */
export function cohortOf (caller: Member | undefined, sector: string | undefined): string {
  const workshop = caller?.workshop ?? null
  if (workshop !== null) return sector === undefined ? `workshop:${workshop}` : `workshop:${workshop}:${sector}`
  return sector === undefined ? 'all' : `sector:${sector}`
}
