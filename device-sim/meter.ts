// A cumulative register (kWh, m³) as a pure function of time: the integral of a gauge since the
// meter's epoch, plus the reading it showed then. Pure — not a running sum of what was sent —
// so the value at an instant is the same whether it is reached by a backfill, a live run or a
// test, and a later run that reuses the same epoch (kept in the state file) carries on from
// where the last one stopped instead of resetting the counter.

const STEP_MS = 15 * 60_000

export class Meter {
  /** cumulative[i] = integral from the epoch to epoch + i steps (trapezoids over STEP_MS). */
  private readonly cumulative: number[] = [0]
  private previousRate: number

  constructor (
    private readonly rate: (time: number) => number,
    private readonly perUnitMs: number,
    private readonly start: number,
    private readonly epoch: number
  ) {
    this.previousRate = Math.max(0, rate(epoch))
  }

  /** The register at `time`: never decreasing, `start` at or before the epoch. */
  at (time: number): number {
    if (!(time > this.epoch)) return this.start
    const position = (time - this.epoch) / STEP_MS
    const step = Math.floor(position)
    this.extendTo(step + 1)
    const low = this.cumulative[step] ?? 0
    const high = this.cumulative[step + 1] ?? low
    // Linear between grid points: monotone because each step adds a non-negative amount.
    return this.start + low + (high - low) * (position - step)
  }

  private extendTo (step: number): void {
    while (this.cumulative.length <= step) {
      const i = this.cumulative.length
      const rate = Math.max(0, this.rate(this.epoch + i * STEP_MS))
      const last = this.cumulative[i - 1] ?? 0
      this.cumulative.push(last + (this.previousRate + rate) / 2 * STEP_MS * this.perUnitMs)
      this.previousRate = rate
    }
  }
}
