// New MQTT connections per source address per second (issue 12, item 4): a token bucket per
// address, holding at most one second's worth, so a burst of `perSecond` is fine and a
// sustained rate above it is not. A workshop room of 40 devices behind one NAT address that all
// reconnect at once (the Wi-Fi came back) opens 40: far below the default of 100.

/** Addresses tracked at most; beyond it, full buckets (nothing to remember) are forgotten first. */
const MAX_TRACKED = 65_536

export class ConnectRate {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly perSecond: number, private readonly now: () => number = () => performance.now()) {}

  /** True when one more connection from `address` is allowed now (and counts it). */
  admit (address: string): boolean {
    const now = this.now()
    let bucket = this.buckets.get(address)
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED) this.forgetIdle(now)
      bucket = { tokens: this.perSecond, at: now }
      this.buckets.set(address, bucket)
    } else {
      bucket.tokens = Math.min(this.perSecond, bucket.tokens + (now - bucket.at) * this.perSecond / 1000)
      bucket.at = now
    }
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  private forgetIdle (now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perSecond / 1000 >= this.perSecond) this.buckets.delete(address)
    }
    // Every tracked address is busy: an attacker with that many addresses; start afresh rather than grow.
    if (this.buckets.size >= MAX_TRACKED) this.buckets.clear()
  }
}
