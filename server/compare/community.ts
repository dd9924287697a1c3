import type { Member } from '../registry/registry.ts'
import type { MetricPresence } from '../store/reading-store.ts'

// The community overview: how many take part, and which comparisons would be shown.
// The same k rule as the buckets: a sector with fewer than k sharing members is not named
// with its count, and a metric/sector pair is only offered when k members could fill it.
// The community is the members that share and are not in a workshop (cohort.ts).
export const ALL_SECTORS = 'all'

export interface ComparablePair { metric: string, sector: string, members: number }

export interface CommunityOverview {
  members: { total: number, bySector: Record<string, number> }
  comparable: ComparablePair[]
}

export function communityOverview (members: readonly Member[], presence: readonly MetricPresence[], k: number): CommunityOverview {
  const community = members.filter((member) => member.sharing && member.workshop === null)
  const perSector = new Map<string, number>()
  for (const { sector } of community) perSector.set(sector, (perSector.get(sector) ?? 0) + 1)
  const bySector = Object.fromEntries([...perSector].filter(([, n]) => n >= k).sort(([a], [b]) => a.localeCompare(b)))

  // The store counts every member with readings, consenting or not, workshop or not: it does
  // not know the registry. Capping each count at the sector's community size keeps those
  // others from being counted (or from making a pair look comparable) in the usual case.
  // It is an upper bound, not an exact count — exact needs member ids per pair from the store.
  const byMetric = new Map<string, ComparablePair[]>()
  for (const row of presence) {
    const pairs = byMetric.get(row.metric) ?? []
    pairs.push({ metric: row.metric, sector: row.sector, members: Math.min(row.members, perSector.get(row.sector) ?? 0) })
    byMetric.set(row.metric, pairs)
  }
  const comparable: ComparablePair[] = []
  for (const metric of [...byMetric.keys()].sort()) {
    const pairs = byMetric.get(metric) ?? []
    const across = Math.min(community.length, pairs.reduce((sum, pair) => sum + pair.members, 0))
    if (across >= k) comparable.push({ metric, sector: ALL_SECTORS, members: across })
    comparable.push(...pairs.filter((pair) => pair.members >= k).sort((a, b) => a.sector.localeCompare(b.sector)))
  }
  return { members: { total: community.length, bySector }, comparable }
}
