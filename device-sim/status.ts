import { JST_OFFSET_MS } from './calendar.ts'
import type { Status } from './stats.ts'

// The live one-line status. On a terminal it is rewritten in place; in a log (CI, docker,
// a pipe) it becomes a plain line every few seconds, and on every change of phase.

export function formatStatus (s: Status): string {
  const jst = new Date(s.simTime + JST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')
  const phase = s.backfillDone === undefined ? s.phase : `${s.phase} ${Math.floor(s.backfillDone * 100)}%`
  return `[${phase}] ${s.connected}/${s.devices} connected · sent ${s.messagesSent} msgs (${s.readingsSent} readings)` +
    ` · acked ${s.acknowledged} · refused ${s.refusedByHub} · ${jst} JST`
}

export interface StatusOutput { write (text: string): unknown, isTTY?: boolean, columns?: number }

export class StatusLine {
  private lastPlain = 0
  private lastPhase = ''
  private shown = false

  constructor (private readonly out: StatusOutput, private readonly plainEveryMs = 5000, private readonly now: () => number = Date.now) {}

  update (status: Status): void {
    const line = formatStatus(status)
    if (this.out.isTTY === true) {
      // A pseudo-terminal without a size reports 0 columns.
      const columns = this.out.columns !== undefined && this.out.columns > 0 ? this.out.columns : 120
      const width = Math.max(20, columns - 1)
      this.out.write(`\r\x1b[2K${line.slice(0, width)}`)
      this.shown = true
      return
    }
    const changed = status.phase !== this.lastPhase
    if (changed || this.now() - this.lastPlain >= this.plainEveryMs) {
      this.out.write(`${line}\n`)
      this.lastPlain = this.now()
      this.lastPhase = status.phase
    }
  }

  /** Ends the in-place line so that what follows starts on a fresh one. */
  clear (): void {
    if (this.shown) this.out.write('\r\x1b[2K')
    this.shown = false
  }

  /** Prints a message above the status line. */
  note (message: string): void {
    this.clear()
    this.out.write(`${message}\n`)
  }
}
