// A latency histogram with ~1 % relative precision from 1 µs to ~10 min, so worker processes
// can record millions of samples cheaply and ship them to the parent as one array.

const GROWTH = 1.01
const LOG_GROWTH = Math.log(GROWTH)
const BUCKETS = 2700 // GROWTH^2700 µs ≈ 7.8 × 10^11 µs: far beyond any bounded run

export class Histogram {
  readonly counts: Uint32Array
  count = 0

  constructor (counts?: ArrayLike<number>) {
    this.counts = new Uint32Array(BUCKETS)
    if (counts !== undefined) {
      for (let i = 0; i < Math.min(counts.length, BUCKETS); i++) {
        this.counts[i] = counts[i]!
        this.count += counts[i]!
      }
    }
  }

  /** Records a latency in milliseconds. */
  record (ms: number): void {
    const us = Math.max(1, ms * 1000)
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH))
    this.counts[index]!++
    this.count++
  }

  merge (other: Histogram | ArrayLike<number>): void {
    const counts = other instanceof Histogram ? other.counts : other
    for (let i = 0; i < Math.min(counts.length, BUCKETS); i++) {
      this.counts[i]! += counts[i]!
      this.count += counts[i]!
    }
  }

  /** The latency (ms) at percentile p (0…100): the upper edge of the bucket holding that rank. */
  percentile (p: number): number {
    if (this.count === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil((p / 100) * this.count))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return GROWTH ** (i + 1) / 1000
    }
    return Number.NaN
  }

  /** Only the non-empty buckets, as [index, count] pairs: compact for IPC and JSON. */
  toSparse (): Array<[number, number]> {
    const out: Array<[number, number]> = []
    this.counts.forEach((n, i) => { if (n > 0) out.push([i, n]) })
    return out
  }

  static fromSparse (pairs: ReadonlyArray<readonly [number, number]>): Histogram {
    const histogram = new Histogram()
    for (const [i, n] of pairs) {
      histogram.counts[i]! += n
      histogram.count += n
    }
    return histogram
  }
}
