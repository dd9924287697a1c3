// What the hub knows about recent activity without asking the store: readings per second
// over the last hour (a ring of counters), and each device's last-seen time and open connections.
const SLOTS = 3600

export class Activity {
  private readonly perSecond = new Float64Array(SLOTS)
  private currentSecond = 0
  private readonly connections = new Map<string, number>()
  private readonly seen = new Map<string, number>()
  private unsaved = new Map<string, number>()

  constructor (private readonly clock: () => number = Date.now) {}

  countReadings (n: number, device: string): void {
    const now = this.clock()
    this.advance(now)
    this.perSecond[this.currentSecond % SLOTS]! += n
    this.seen.set(device, now)
    this.unsaved.set(device, now)
  }

  /** Readings received within the last `seconds` (≤ 3600). */
  readingsWithin (seconds: number): number {
    this.advance(this.clock())
    let total = 0
    for (let i = 0; i < Math.min(seconds, SLOTS); i++) total += this.perSecond[(this.currentSecond - i + SLOTS * 2) % SLOTS]!
    return total
  }

  connected (device: string): number {
    const n = (this.connections.get(device) ?? 0) + 1
    this.connections.set(device, n)
    this.seen.set(device, this.clock())
    this.unsaved.set(device, this.clock())
    return n
  }

  disconnected (device: string): number {
    const n = Math.max(0, (this.connections.get(device) ?? 0) - 1)
    if (n === 0) this.connections.delete(device)
    else this.connections.set(device, n)
    return n
  }

  isOnline (device: string): boolean {
    return (this.connections.get(device) ?? 0) > 0
  }

  get devicesOnline (): number {
    return this.connections.size
  }

  lastSeen (device: string): number | undefined {
    return this.seen.get(device)
  }

  /** Last-seen times not yet written to the registry; taking them clears the list. */
  takeUnsaved (): Map<string, number> {
    const taken = this.unsaved
    this.unsaved = new Map()
    return taken
  }

  private advance (now: number): void {
    const second = Math.floor(now / 1000)
    if (this.currentSecond === 0) this.currentSecond = second
    // Clear the slots of the seconds that passed without a reading.
    for (let s = this.currentSecond + 1; s <= second && s - this.currentSecond <= SLOTS; s++) this.perSecond[s % SLOTS] = 0
    this.currentSecond = Math.max(this.currentSecond, second)
  }
}
