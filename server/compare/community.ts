import type { Member } from '../registry/registry.ts'
import type { LatestShown } from '../store/release-store.ts'
import { isSuppressedRelease } from '../domain/release.ts'

// The community overview: how many take part, and which comparisons are shown. A sector
// with fewer than k sharing members is not named with its count. A metric/sector pair is
// offered when it has a shown hourly release lately, with that release's member band
// (never an exact count of who reported). The community is the members that share and are
// not in a workshop (cohort-families.ts).
export const ALL_SECTORS = 'all'

export interface ComparablePair { metric: string, sector: string, members: number }

export interface CommunityOverview {
  members: { total: number, bySector: Record<string, number> }
  comparable: ComparablePair[]
}

export function communityOverview (members: readonly Member[], latest: readonly LatestShown[], k: number): CommunityOverview {
  const community = members.filter((member) => member.sharing && member.workshop === null)
  const perSector = new Map<string, number>()
  for (const { sector } of community) perSector.set(sector, (perSector.get(sector) ?? 0) + 1)
  const bySector = Object.fromEntries([...perSector].filter(([, n]) => n >= k).sort(([a], [b]) => a.localeCompare(b)))

  const comparable: ComparablePair[] = []
  for (const { series, cohort, release } of latest) {
    if (isSuppressedRelease(release)) continue
    if (cohort === 'all') comparable.push({ metric: series, sector: ALL_SECTORS, members: release.members })
    else if (cohort.startsWith('sector:')) comparable.push({ metric: series, sector: cohort.slice('sector:'.length), members: release.members })
  }
  // When every sharing member is in one sector, "all sectors" is that sector again: one card, not
  // two. (With members elsewhere it is not, even beside one published sector: in a bucket where
  // no sector reached k, "all" holds everyone — release/secondary-suppression.ts.)
  const oneSector = perSector.size === 1
  const distinct = comparable.filter((pair) => pair.sector !== ALL_SECTORS || !oneSector)
  // By metric; "all" first, then the sectors alphabetically.
  distinct.sort((a, b) => a.metric.localeCompare(b.metric) ||
    Number(b.sector === ALL_SECTORS) - Number(a.sector === ALL_SECTORS) || a.sector.localeCompare(b.sector))
  return { members: { total: community.length, bySector }, comparable: distinct }
}
