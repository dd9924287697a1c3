/**
 * Tells a listener when a queue becomes full (true) or has room again (false), once per
 * change. The listener's failure is swallowed: it must not undo a push already committed.
 */
export class FullLatch {
  private full = false

  constructor (private readonly onChange?: (full: boolean) => void) {}

  update (full: boolean): void {
    if (full === this.full) return
    this.full = full
    try {
      this.onChange?.(full)
    } catch { /* a listener's failure must not undo a committed push */ }
  }
}
