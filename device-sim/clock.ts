// The simulated clock. At --speed 1 it is the real clock. Faster, the simulation replays the
// recent past and catches up with the present: it starts `(speed − 1) × duration` ago (a day
// ago when there is no --duration), runs `speed` times faster than real time, and once it
// reaches the present carries on in real time. So simulated time never runs ahead of the
// hub's clock, whose ingest refuses readings stamped more than a day in the future.

export interface Timers {
  now (): number
  setTimeout (callback: () => void, ms: number): unknown
  clearTimeout (handle: unknown): void
}

export const realTimers: Timers = {
  now: Date.now,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
}

const REPLAY_WITHOUT_DURATION_MS = 86_400_000

export class SimClock {
  readonly realStart: number
  readonly simStart: number

  constructor (readonly speed: number, durationMs: number | undefined, readonly timers: Timers = realTimers) {
    this.realStart = timers.now()
    const lead = speed > 1 ? (speed - 1) * (durationMs ?? REPLAY_WITHOUT_DURATION_MS) : 0
    this.simStart = this.realStart - lead
  }

  /** The simulated time now, never after the real time. */
  now (): number {
    const real = this.timers.now()
    return Math.min(real, this.simStart + (real - this.realStart) * this.speed)
  }

  /** Whether simulated time still lags the real clock (readings must then carry their own `ts`). */
  replaying (): boolean {
    return this.timers.now() - this.now() > 1000
  }

  /** The real time at which the simulated clock shows `simTime`. */
  realTimeAt (simTime: number): number {
    // After catching up (only a faster clock does), simulated and real time are the same.
    if (this.speed > 1 && simTime >= this.caughtUpAt()) return simTime
    return this.realStart + (simTime - this.simStart) / this.speed
  }

  /** The real (and simulated) time at which a faster clock reaches the present. */
  caughtUpAt (): number {
    return this.realStart + (this.realStart - this.simStart) / (this.speed - 1)
  }

  /** Resolves when the simulated clock reaches `simTime`, or early (false) when aborted. */
  async sleepUntil (simTime: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false
    const wait = this.realTimeAt(simTime) - this.timers.now()
    if (wait <= 0) return true
    return await new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        this.timers.clearTimeout(handle)
        resolve(false)
      }
      const handle = this.timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve(true)
      }, wait)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}
