import { decodeTag } from './escape.ts'
import type { MemberBucketValue } from '../reading-store.ts'

// Turning InfluxDB rows into memberBuckets answers, shared by the raw path (store.ts) and the
// rollup path (rollup-read.ts) so both apply the same rules and orderings.

/**
 * A counter's increase at a device's reading over its previous one: a drop is a restart from
 * zero, so the value itself; no previous reading adds 0 (the embedded store's rule at write time).
 */
export function increaseOver (before: number | undefined, value: number): number {
  return before === undefined ? 0 : value >= before ? value - before : value
}

/** Sums per (bucket, member); members arrive as stored (encoded) tag values. */
export class MemberTotals {
  private readonly totals = new Map<string, { time: number, member: string, value: number }>()

  add (time: number, member: unknown, value: number): void {
    const key = `${time}\u0000${String(member)}`
    const total = this.totals.get(key)
    if (total === undefined) this.totals.set(key, { time, member: String(member), value })
    else total.value += value
  }

  values (): MemberBucketValue[] {
    return inTimeAndMemberOrder([...this.totals.values()].map(({ time, member, value }) => ({ time, member, value })))
  }
}

/** Gauges: a member's value is the mean of its devices' means over the bucket. */
export function averageDevices (deviceMeans: Iterable<{ time: number, member: unknown, mean: number, devices?: number }>): MemberBucketValue[] {
  const perMember = new Map<string, { time: number, member: string, first: number, sum: number, devices: number, rows: number }>()
  for (const { time, member, mean, devices = 1 } of deviceMeans) {
    const key = `${time}\u0000${String(member)}`
    const entry = perMember.get(key)
    if (entry === undefined) perMember.set(key, { time, member: String(member), first: mean, sum: mean * devices, devices, rows: 1 })
    else { entry.sum += mean * devices; entry.devices += devices; entry.rows++ }
  }
  // A single row is a member's mean already (of `devices` devices, from the member rollup): kept as is.
  return inTimeAndMemberOrder([...perMember.values()]
    .map(({ time, member, first, sum, devices, rows }) => ({ time, member, value: rows === 1 ? first : sum / devices })))
}

/** The embedded store's ORDER BY uses SQLite's BINARY collation: UTF-8 byte order. */
export function byteOrder (a: string, b: string): number {
  if (a === b) return 0
  // UTF-16 order is code point order, hence UTF-8 byte order, unless a surrogate pair meets a
  // character above U+E000; only then are bytes compared (this sorts thousands of rows a query).
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b))
  return a < b ? -1 : 1
}

const SURROGATE = /[\uD800-\uDFFF]/


/**
 * Values whose members are still stored (encoded) tag values, decoded and in the embedded
 * store's order: by time, then member in byte order. A 7-day answer has thousands of rows but
 * a few dozen members, so members are decoded and ranked once and rows sorted by numbers
 * (comparing names per comparison was a third of the query's time in the hub, bench/).
 */
export function inTimeAndMemberOrder (values: Array<{ time: number, member: string, value: number }>): MemberBucketValue[] {
  const names = [...new Set(values.map((v) => v.member))].map((stored) => ({ stored, decoded: decodeTag(stored) }))
  names.sort((a, b) => byteOrder(a.decoded, b.decoded))
  const rank = new Map(names.map((name, i) => [name.stored, i]))
  const decoded = names.map((name) => name.decoded)
  return values
    .map((v) => ({ time: v.time, rank: rank.get(v.member)!, value: v.value }))
    .sort((a, b) => a.time - b.time || a.rank - b.rank)
    .map(({ time, rank: r, value }) => ({ time, member: decoded[r]!, value }))
}
