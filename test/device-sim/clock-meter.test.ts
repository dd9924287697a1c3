import { describe, expect, it } from 'vitest'
import { SimClock, type Timers } from '../../device-sim/clock.ts'
import { Meter } from '../../device-sim/meter.ts'
import { DAY, HOUR, MINUTE, SUMMER_WEEK } from './helpers.ts'

/** Timers whose time moves only when the test says so. */
function fakeTimers (start: number): Timers & { advance (ms: number): void } {
  let now = start
  let queue: Array<{ at: number, callback: () => void }> = []
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const entry = { at: now + ms, callback }
      queue.push(entry)
      return entry
    },
    clearTimeout: (handle) => { queue = queue.filter((e) => e !== handle) },
    advance (ms) {
      now += ms
      const due = queue.filter((e) => e.at <= now)
      queue = queue.filter((e) => e.at > now)
      for (const e of due) e.callback()
    }
  }
}

const flush = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

describe('the simulated clock', () => {
  it('is the real clock at speed 1', () => {
    const timers = fakeTimers(SUMMER_WEEK)
    const clock = new SimClock(1, undefined, timers)
    timers.advance(5 * MINUTE)
    expect(clock.now()).toBe(SUMMER_WEEK + 5 * MINUTE)
    expect(clock.replaying()).toBe(false)
  })

  it('replays the past faster and reaches the present exactly when the duration ends', () => {
    const timers = fakeTimers(SUMMER_WEEK)
    const clock = new SimClock(60, 10 * MINUTE, timers)
    expect(clock.simStart).toBe(SUMMER_WEEK - 59 * 10 * MINUTE)
    expect(clock.replaying()).toBe(true)
    timers.advance(MINUTE)
    expect(clock.now()).toBe(clock.simStart + HOUR)
    timers.advance(9 * MINUTE)
    expect(clock.now()).toBe(SUMMER_WEEK + 10 * MINUTE)
    expect(clock.replaying()).toBe(false)
    timers.advance(MINUTE) // after catching up it runs in real time, never ahead of the hub
    expect(clock.now()).toBe(SUMMER_WEEK + 11 * MINUTE)
  })

  it('without a duration replays the last day, then carries on in real time', () => {
    const timers = fakeTimers(SUMMER_WEEK)
    const clock = new SimClock(25, undefined, timers)
    expect(clock.simStart).toBe(SUMMER_WEEK - 24 * DAY)
    expect(clock.caughtUpAt()).toBe(SUMMER_WEEK + DAY)
    expect(clock.realTimeAt(SUMMER_WEEK + 2 * DAY)).toBe(SUMMER_WEEK + 2 * DAY)
  })

  it('sleeps until a simulated instant, scaled by the speed, and wakes early when aborted', async () => {
    const timers = fakeTimers(SUMMER_WEEK)
    const clock = new SimClock(10, HOUR, timers)
    const woke: boolean[] = []
    void clock.sleepUntil(clock.simStart + 10 * MINUTE, new AbortController().signal).then((ok) => woke.push(ok))
    timers.advance(59_000)
    await flush()
    expect(woke).toEqual([])
    timers.advance(1000)
    await flush()
    expect(woke).toEqual([true])
    const controller = new AbortController()
    const sleeping = clock.sleepUntil(clock.simStart + DAY, controller.signal)
    controller.abort()
    expect(await sleeping).toBe(false)
  })
})

describe('the meter', () => {
  it('integrates a constant power exactly: 1 kW for a day is 24 kWh', () => {
    const meter = new Meter(() => 1000, 1 / 3.6e9, 100, SUMMER_WEEK)
    expect(meter.at(SUMMER_WEEK - HOUR)).toBe(100)
    expect(meter.at(SUMMER_WEEK + DAY)).toBeCloseTo(124, 9)
    expect(meter.at(SUMMER_WEEK + 7 * MINUTE)).toBeCloseTo(100 + 7 / 60, 9)
  })

  it('never decreases, however the power swings, and answers in any order', () => {
    const rate = (t: number): number => Math.max(0, 5000 * Math.sin(t / 1_234_567))
    const meter = new Meter(rate, 1 / 3.6e9, 0, SUMMER_WEEK)
    const at = Array.from({ length: 3000 }, (_, i) => SUMMER_WEEK + i * 97_000)
    const values = at.map((t) => meter.at(t))
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] ?? 0)
    const fresh = new Meter(rate, 1 / 3.6e9, 0, SUMMER_WEEK)
    expect([...at].reverse().map((t) => fresh.at(t)).reverse()).toEqual(values)
  })
})
