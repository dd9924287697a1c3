import { describe, expect, it } from 'vitest'
import { type Condition, type Input, type SeriesState, initialState, step } from '../../server/alerts/rule-state.ts'
import { TimerWheel } from '../../server/alerts/timer-wheel.ts'

// The pure state machine of one rule on one device (server/alerts/rule-state.ts), driven
// through whole scenarios: each line is an input at a time and what the machine says.

const MIN = 60_000
const cond = (c: Partial<Condition> & Pick<Condition, 'type'>): Condition => ({ value: null, holdMs: 0, hysteresis: 0, repeatMs: null, ...c })

/** Runs inputs at their times; returns [time, phase, notice, dueAt] after each. */
function run (c: Condition, inputs: Array<[number, Input]>, start: SeriesState = initialState(0)) {
  let state = start
  return inputs.map(([time, input]) => {
    const next = step(c, state, input, time)
    state = next.state
    return [time, state.phase, next.notice ?? null, next.dueAt]
  })
}
const reading = (value: number): Input => ({ kind: 'reading', value })
const tick: Input = { kind: 'tick' }

describe('threshold conditions', () => {
  it('above for 5 minutes: pending, back to ok when it drops in time, fires once held, clears only past the margin', () => {
    const c = cond({ type: 'above', value: 8, holdMs: 5 * MIN, hysteresis: 1 })
    expect(run(c, [
      [0, reading(9)],
      [2 * MIN, reading(7)],
      [3 * MIN, reading(9)],
      [7 * MIN, reading(9.5)],
      [8 * MIN, tick],
      [9 * MIN, reading(7.5)],
      [10 * MIN, reading(8.5)],
      [11 * MIN, reading(7)]
    ])).toEqual([
      [0, 'pending', null, 5 * MIN],
      [2 * MIN, 'ok', null, null],
      [3 * MIN, 'pending', null, 8 * MIN],
      [7 * MIN, 'pending', null, 8 * MIN],
      [8 * MIN, 'firing', 'fired', null],
      [9 * MIN, 'firing', null, null],
      [10 * MIN, 'firing', null, null],
      [11 * MIN, 'ok', 'cleared', null]
    ])
  })

  it('below with a repeat: repeats until acknowledged, the acknowledgement lasts until it clears, the next firing repeats again', () => {
    const c = cond({ type: 'below', value: 4, repeatMs: 10 * MIN })
    expect(run(c, [
      [0, reading(3)],
      [10 * MIN, tick],
      [15 * MIN, { kind: 'ack' }],
      [15 * MIN, { kind: 'ack' }],
      [30 * MIN, tick],
      [31 * MIN, reading(4)],
      [32 * MIN, reading(3.9)]
    ])).toEqual([
      [0, 'firing', 'fired', 10 * MIN],
      [10 * MIN, 'firing', 'repeated', 20 * MIN],
      [15 * MIN, 'firing', 'acknowledged', null],
      [15 * MIN, 'firing', null, null],
      [30 * MIN, 'firing', null, null],
      [31 * MIN, 'ok', 'cleared', null],
      [32 * MIN, 'firing', 'fired', 42 * MIN]
    ])
  })
})

describe('rate of change', () => {
  it('fires when a value changes faster than the rate per minute, by the readings\' own times, and clears once slower by the margin', () => {
    const c = cond({ type: 'rate', value: 2, hysteresis: 0.5 })
    const at = (value: number, minute: number): Input => ({ kind: 'reading', value, time: minute * MIN })
    expect(run(c, [
      [0, at(20, 0)],
      [1 * MIN, at(21, 1)],
      // A backlog arriving at once: 3 °C in 30 s is 6 °C a minute.
      [3 * MIN, at(24, 1.5)],
      [3 * MIN, at(25.7, 2.5)],
      [4 * MIN, at(27, 3.5)]
    ])).toEqual([
      [0, 'ok', null, null],
      [1 * MIN, 'ok', null, null],
      [3 * MIN, 'firing', 'fired', null],
      [3 * MIN, 'firing', null, null],
      [4 * MIN, 'ok', 'cleared', null]
    ])
  })
})

describe('silence and status', () => {
  it('silent for 30 minutes: fires from the last reading, clears with the next one', () => {
    const c = cond({ type: 'silent', holdMs: 30 * MIN })
    expect(run(c, [
      [10 * MIN, reading(1)],
      [39 * MIN, tick],
      [40 * MIN, tick],
      [50 * MIN, reading(2)]
    ])).toEqual([
      [10 * MIN, 'ok', null, 40 * MIN],
      [39 * MIN, 'ok', null, 40 * MIN],
      [40 * MIN, 'firing', 'fired', null],
      [50 * MIN, 'ok', 'cleared', 80 * MIN]
    ])
  })

  it('offline for 2 minutes: a short drop is forgiven, a long one fires, back online clears; readings do not matter', () => {
    const c = cond({ type: 'offline', holdMs: 2 * MIN })
    expect(run(c, [
      [0, { kind: 'status', online: false }],
      [1 * MIN, { kind: 'status', online: true }],
      [3 * MIN, { kind: 'status', online: false }],
      [4 * MIN, reading(1)],
      [5 * MIN, tick],
      [6 * MIN, { kind: 'status', online: true }]
    ])).toEqual([
      [0, 'pending', null, 2 * MIN],
      [1 * MIN, 'ok', null, null],
      [3 * MIN, 'pending', null, 5 * MIN],
      [4 * MIN, 'pending', null, 5 * MIN],
      [5 * MIN, 'firing', 'fired', null],
      [6 * MIN, 'ok', 'cleared', null]
    ])
  })
})

describe('the timer wheel', () => {
  it('returns each key once when its second has come, after a replacement only at its new time, and catches up after a long pause', () => {
    const wheel = new TimerWheel<string>(1000)
    wheel.schedule('a', 1500)
    wheel.schedule('b', 3000)
    wheel.schedule('c', 2000)
    wheel.schedule('c', 10_000)
    wheel.schedule('d', 500)
    wheel.schedule('d', null)
    expect(wheel.take(1999)).toEqual([])
    expect(wheel.take(2000)).toEqual(['a'])
    expect(wheel.take(2500)).toEqual([])
    // Scheduled in the past: due at the next take.
    wheel.schedule('e', 100)
    expect(wheel.take(3000).sort()).toEqual(['b', 'e'])
    expect(wheel.take(86_400_000)).toEqual(['c'])
    expect(wheel.size).toBe(0)
  })
})
