import { type CellId, type Contribution, type ReleaseParams, releaseCell, suppressed } from './release-cell.ts'
import { type Release, isSuppressedRelease } from '../../domain/release.ts'

// τ-ARGUS' two steps for one family of nested cohorts — the community ("all") and its
// sectors, or a workshop and its sectors — in one bucket:
// - primary: a cohort with fewer than k members, or whose mean fails the p % rule, is
//   suppressed (release-cell.ts, mean-audit.ts);
// - secondary: the parent is made only from the children that are themselves published, so
//   the parent minus the published children is nobody. (Hiding further children until the
//   hidden ones held k members, as before, left their union derivable: members colluding
//   with that union subtracted their own values and read the small sector's member within
//   p % in up to half the buckets — docs/privacy.md, "Not met yet".) A parent that would show
//   only one published child is suppressed: it would repeat that child. When no child is
//   published, nothing can be subtracted: the parent holds all its members (k applies).
// Children with no member at all are not cells: they hide nobody and are not released.

export interface Family {
  parent: { cohort: string, contributions: readonly Contribution[] }
  children: ReadonlyArray<{ cohort: string, contributions: readonly Contribution[] }>
}

/** cohort → release, for the parent and every child with at least one member. */
export function releaseFamily (cell: CellId, family: Family, params: ReleaseParams): Map<string, Release> {
  // A child is published when its own release is: k members, and a mean that passes the p % rule (mean-audit.ts).
  const children = family.children
    .filter(({ contributions }) => contributions.length > 0)
    .map(({ cohort, contributions }) => ({ cohort, contributions, release: releaseCell(cell, contributions, params) }))
  const published = children.filter((child) => !isSuppressedRelease(child.release))
  const releases = new Map<string, Release>()
  // Every child published, or none (nothing to subtract from the parent): all its members.
  const whole = published.length === children.length || published.length === 0
  releases.set(family.parent.cohort, whole
    ? releaseCell(cell, family.parent.contributions, params)
    : published.length > 1 ? releaseCell(cell, published.flatMap((child) => child.contributions), params) : suppressed(cell.time))
  for (const child of children) releases.set(child.cohort, child.release)
  return releases
}
