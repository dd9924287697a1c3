import { type CellId, type Contribution, type Release, type ReleaseParams, releaseCell, suppressed } from './release-cell.ts'

// τ-ARGUS' two steps for one family of nested cohorts — the community ("all") and its
// sectors, or a workshop and its sectors — in one bucket:
// - primary: a cohort with fewer than k members is suppressed (release-cell.ts);
// - secondary: the parent minus the published children is the union of the suppressed
//   children, so that union must itself hold k or more members. While it holds fewer (but
//   some), the smallest published child is suppressed as well — unless only one child is
//   left published: then the parent goes instead, as it would show little more than that
//   child (a ryokan pair beside five restaurants hides "all sectors", not the restaurants).
//   A hidden cell can then never be derived from published ones: the parent is the only
//   figure that spans several children.
// Children with no member at all are not cells: they hide nobody and are not released.

export interface Family {
  parent: { cohort: string, contributions: readonly Contribution[] }
  children: ReadonlyArray<{ cohort: string, contributions: readonly Contribution[] }>
}

/** cohort → release, for the parent and every child with at least one member. */
export function releaseFamily (cell: CellId, family: Family, params: ReleaseParams): Map<string, Release> {
  const children = family.children
    .map(({ cohort, contributions }) => ({ cohort, contributions, members: new Set(contributions.map((c) => c.member)) }))
    .filter((child) => child.members.size > 0)
  const hidden = new Set<string>()
  const isHidden = new Set<string>()
  for (const child of children) {
    if (child.members.size < params.k) {
      isHidden.add(child.cohort)
      for (const member of child.members) hidden.add(member)
    }
  }
  // Smallest first, then by name, so the choice is deterministic for a given family.
  const published = children.filter((child) => !isHidden.has(child.cohort))
    .sort((a, b) => a.members.size - b.members.size || a.cohort.localeCompare(b.cohort))
  while (hidden.size > 0 && hidden.size < params.k && published.length > 1) {
    const next = published.shift()!
    isHidden.add(next.cohort)
    for (const member of next.members) hidden.add(member)
  }
  const parentHidden = hidden.size > 0 && hidden.size < params.k

  const releases = new Map<string, Release>()
  releases.set(family.parent.cohort, parentHidden ? suppressed(cell.time) : releaseCell(cell, family.parent.contributions, params))
  for (const child of children) {
    releases.set(child.cohort, isHidden.has(child.cohort) ? suppressed(cell.time) : releaseCell(cell, child.contributions, params))
  }
  return releases
}
