// Remembers a store query's promise for a while, so that many viewers of the same comparison
// (a room full of phones on the live dashboard) cost one query. The promise itself is kept,
// so requests that arrive while the query runs wait for it instead of starting their own.
// A failed query is forgotten at once: the next request tries again.
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>, expires: number }>()

  constructor (private readonly ttlMs: number, private readonly clock: () => number) {}

  get (key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock()
    const hit = this.entries.get(key)
    if (hit !== undefined && now < hit.expires) return hit.value
    this.sweep(now)
    const entry = { value: (async () => await load())(), expires: now + this.ttlMs }
    this.entries.set(key, entry)
    entry.value.catch(() => { if (this.entries.get(key) === entry) this.entries.delete(key) })
    return entry.value
  }

  get size (): number {
    return this.entries.size
  }

  // Dropped on the next miss rather than by a timer: nothing to stop at shutdown, and the map
  // never holds more than the keys asked for within one TTL.
  private sweep (now: number): void {
    for (const [key, entry] of this.entries) if (now >= entry.expires) this.entries.delete(key)
  }
}
