// Deterministic randomness. Two kinds, for two jobs:
// - `Rng` (mulberry32): a sequential stream, for things decided in order (the community,
//   fault decisions tick by tick). Same seed → same sequence.
// - `hashUnit`/`hashGauss`: stateless, keyed by (stream, time). A reading's noise depends
//   only on the seed, the device, the metric and the timestamp — not on which readings were
//   computed before — so a backfill and a live run agree on the same instant.

/** FNV-1a over a string: a 32-bit key for a named stream. */
export function hashString (text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A 32-bit finaliser (murmur3 fmix32): spreads every input bit over the output. */
function mix32 (value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A uniform number in [0, 1) from a stream key and an integer (a time in ms, a day, a slot). */
export function hashUnit (key: number, n: number): number {
  // Split n so times beyond 2^32 ms still change the hash in their high bits.
  const low = n % 0x1_0000_0000
  const high = Math.floor(n / 0x1_0000_0000)
  const h = mix32(mix32(key ^ mix32(low)) ^ Math.imul(high + 0x9e3779b9, 0x27d4eb2f))
  return h / 0x1_0000_0000
}

/** A standard normal number keyed like hashUnit (Box–Muller over two hashed uniforms). */
export function hashGauss (key: number, n: number): number {
  const u = Math.max(hashUnit(key, n), 1e-12)
  const v = hashUnit(key ^ 0x5bd1e995, n)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** mulberry32 (Tommy Ettinger, public domain): small, fast, good enough for simulation. */
export class Rng {
  private state: number

  constructor (seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform number in [0, 1). */
  next (): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000
  }

  between (min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** An integer in [min, max], both included. */
  int (min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance (probability: number): boolean {
    return this.next() < probability
  }

  pick<T> (items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** A log-normal factor around 1: sizes and efficiencies spread the way real ones do (skewed, never negative). */
  logNormal (sigma: number): number {
    const u = Math.max(this.next(), 1e-12)
    const v = this.next()
    return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
  }
}

/** A sub-stream: the same seed and name always give the same Rng, independent of other names. */
export function rngFor (seed: number, name: string): Rng {
  return new Rng(hashString(`${seed}:${name}`))
}
