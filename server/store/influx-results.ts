import { decodeTag } from './influx-escape.ts'
import type { MemberBucketValue } from './reading-store.ts'

// Turning InfluxDB rows into memberBuckets answers, shared by the raw path (influx.ts) and the
// rollup path (influx-rollup-read.ts) so both apply the same rules and orderings.

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
    return [...this.totals.values()].map(({ time, member, value }) => ({ time, member: decodeTag(member), value })).sort(byTimeAndMember)
  }
}

/** Gauges: a member's value is the mean of its devices' means over the bucket. */
export function averageDevices (deviceMeans: Iterable<{ time: number, member: unknown, mean: number }>): MemberBucketValue[] {
  const perMember = new Map<string, { time: number, member: string, sum: number, devices: number }>()
  for (const { time, member, mean } of deviceMeans) {
    const key = `${time}\u0000${String(member)}`
    const entry = perMember.get(key)
    if (entry === undefined) perMember.set(key, { time, member: String(member), sum: mean, devices: 1 })
    else { entry.sum += mean; entry.devices++ }
  }
  return [...perMember.values()].map(({ time, member, sum, devices }) => ({ time, member: decodeTag(member), value: sum / devices })).sort(byTimeAndMember)
}

/** The embedded store's ORDER BY uses SQLite's BINARY collation: UTF-8 byte order. */
export function byteOrder (a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))
}

export function byTimeAndMember (a: MemberBucketValue, b: MemberBucketValue): number {
  return a.time - b.time || byteOrder(a.member, b.member)
}
