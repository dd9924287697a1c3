// A hashed timing wheel: every series that must be looked at later (a pending condition's
// hold time, a silent rule's deadline, a repeat) sits in the slot of its due second, and
// one interval drains the slots that have come — one timer for the hub instead of one a rule.
// Pure bookkeeping; the caller owns the interval and the clock.

export class TimerWheel<K> {
  private readonly slots = new Map<number, Set<K>>()
  private readonly due = new Map<K, number>()
  /** The first slot not yet drained. */
  private cursor: number | undefined

  constructor (private readonly resolutionMs = 1000) {}

  get size (): number { return this.due.size }

  has (key: K): boolean { return this.due.has(key) }

  /** Puts `key` at `at` (ms), replacing where it was; null takes it out. */
  schedule (key: K, at: number | null): void {
    this.cancel(key)
    if (at === null) return
    let slot = Math.ceil(at / this.resolutionMs)
    if (this.cursor !== undefined && slot < this.cursor) slot = this.cursor
    let set = this.slots.get(slot)
    if (set === undefined) this.slots.set(slot, set = new Set())
    set.add(key)
    this.due.set(key, slot)
  }

  cancel (key: K): void {
    const slot = this.due.get(key)
    if (slot === undefined) return
    this.due.delete(key)
    const set = this.slots.get(slot)
    set?.delete(key)
    if (set?.size === 0) this.slots.delete(slot)
  }

  /** Takes out and returns every key due at or before `now`. */
  take (now: number): K[] {
    const last = Math.floor(now / this.resolutionMs)
    const start = this.cursor ?? Number.NEGATIVE_INFINITY
    const out: K[] = []
    // The first take, or after a long pause (a suspended laptop, a clock set forward): walking
    // each second would be slower than looking at the few slots that exist.
    const slots = last - start > this.slots.size ? [...this.slots.keys()].filter((s) => s <= last) : range(start, last)
    for (const slot of slots) {
      const set = this.slots.get(slot)
      if (set === undefined) continue
      this.slots.delete(slot)
      for (const key of set) {
        this.due.delete(key)
        out.push(key)
      }
    }
    this.cursor = Math.max(this.cursor ?? last + 1, last + 1)
    return out
  }
}

function range (from: number, to: number): number[] {
  const out: number[] = []
  for (let i = from; i <= to; i++) out.push(i)
  return out
}
