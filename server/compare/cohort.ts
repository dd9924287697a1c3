import type { Member } from '../registry/registry.ts'

// Who a comparison is made among.
// - Workshop members (temporary accounts of a class or a hackathon) would blur the
//   community's figures with toy data, so they are left out of it; a workshop member instead
//   compares within its own workshop only. k applies to that cohort like to any other.
// - A member that withdrew sharing consent is in nobody's distribution, its own included, but
//   may still see its own values against the others (DESIGN.md, "Comparisons").
// - A member the registry does not know (deleted, data not yet purged) counts for no one.
export interface Cohort {
  /** Members whose values make up the distribution. */
  peers: Set<string>
  /** The cohort's members whatever their consent (the caller's own figures come from here too). */
  members: Member[]
  /** The caller, when it is a registered member. */
  caller?: string
}

export function cohortFor (members: readonly Member[], callerId?: string): Cohort {
  const caller = callerId === undefined ? undefined : members.find((member) => member.id === callerId)
  const workshop = caller?.workshop ?? null
  const cohort = members.filter((member) => member.workshop === workshop)
  return {
    peers: new Set(cohort.filter((member) => member.sharing).map((member) => member.id)),
    members: cohort,
    ...(caller === undefined ? {} : { caller: caller.id })
  }
}
