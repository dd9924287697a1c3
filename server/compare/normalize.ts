import type { Member } from '../registry/registry.ts'
import type { MemberBucketValue } from '../store/reading-store.ts'

// Comparing a 20-seat café with a 200-seat hall only makes sense per seat (per m², per
// room). A member that has not given the figure cannot be normalised, so it is left out of
// that comparison rather than guessed.
export const perValues = ['m2', 'seat', 'room'] as const
export type Per = typeof perValues[number]

const figureOf: Record<Per, (member: Member) => number | null> = {
  m2: (member) => member.floorArea,
  seat: (member) => member.seats,
  room: (member) => member.rooms
}

/** member id → divisor, for the members that have a usable figure for `per`. */
export function divisorsFor (members: readonly Member[], per: Per): Map<string, number> {
  const divisors = new Map<string, number>()
  for (const member of members) {
    const figure = figureOf[per](member)
    // Zero or negative would turn a value into Infinity or flip its sign; the registry refuses
    // them, this keeps an old row from doing it anyway.
    if (figure !== null && Number.isFinite(figure) && figure > 0) divisors.set(member.id, figure)
  }
  return divisors
}

/** Divides each value by its member's divisor; members without one are dropped. */
export function normalize (values: readonly MemberBucketValue[], divisors: ReadonlyMap<string, number>): MemberBucketValue[] {
  const out: MemberBucketValue[] = []
  for (const { time, member, value } of values) {
    const divisor = divisors.get(member)
    if (divisor !== undefined) out.push({ time, member, value: value / divisor })
  }
  return out
}
