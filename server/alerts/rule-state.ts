import type { ConditionType } from '../api-schemas/alerts.ts'

// The state machine of one rule on one device, pure (no clock, no I/O): the evaluator feeds it
// readings, status changes and ticks of the timer wheel, and persists what it returns.
//
//   ok ──breach──▶ pending ──held for `minutes`──▶ firing ──back past the hysteresis margin──▶ ok
//        ◀──no longer breaching──┘                  │  ▲
//                                                    └──┘ repeat every `repeatMinutes`, unless acknowledged
//
// "Cleared" needs the value back by the margin (above: ≤ value − hysteresis; below and
// battery: ≥ value + hysteresis), so a reading that wobbles around the threshold fires once.
// Rate measures the change per minute between two consecutive readings (by their own
// timestamps, so a backlog that arrives at once still has its spacing) and behaves as `above`
// on its absolute value.
// Silent fires when no reading came for `minutes`; offline when the device stayed offline
// for `minutes`; either clears with the next reading / the device back online.

export type Phase = 'ok' | 'pending' | 'firing'

/** What the machine needs to know of a rule. */
export interface Condition {
  type: ConditionType
  value: number | null
  /** ms */
  holdMs: number
  hysteresis: number
  /** ms, or null for no repeat */
  repeatMs: number | null
}

export interface SeriesState {
  phase: Phase
  /** When the current phase began (ms). */
  since: number
  acknowledged: boolean
  /** When the last firing notification (fired or repeated) was made. */
  notifiedAt: number | null
  /** The last value seen (readings), or null. */
  value: number | null
  /** When the last reading arrived: what "silent" counts from. */
  lastReading: number
  /** The last reading's own timestamp (rate rules), or null; not persisted. */
  readingTime?: number | null
}

export type Input =
  | { kind: 'reading', value: number, time?: number }
  | { kind: 'status', online: boolean }
  | { kind: 'tick' }
  | { kind: 'ack' }

export type Notice = 'fired' | 'repeated' | 'cleared' | 'acknowledged'

export interface Step {
  state: SeriesState
  notice?: Notice
  /** When the wheel must tick this series next, or null when only an input can change it. */
  dueAt: number | null
}

export const initialState = (now: number): SeriesState => ({ phase: 'ok', since: now, acknowledged: false, notifiedAt: null, value: null, lastReading: now })

/** Does a value (for rate: a change per minute) break the threshold? For above, below, battery and rate. */
export function breaches (c: Condition, value: number): boolean {
  if (c.value === null) return false
  return c.type === 'above' || c.type === 'rate' ? value > c.value : value < c.value
}

/** Is a value back past the threshold by the margin? */
export function recovered (c: Condition, value: number): boolean {
  if (c.value === null) return true
  return c.type === 'above' || c.type === 'rate' ? value <= c.value - c.hysteresis : value >= c.value + c.hysteresis
}

const isThreshold = (c: Condition): boolean => c.type === 'above' || c.type === 'below' || c.type === 'battery' || c.type === 'rate'

const MINUTE = 60_000

/** |Δvalue| per minute from the previous reading to this one, or undefined without a previous one (or no time between them). */
export function changePerMinute (s: SeriesState, value: number, time: number): number | undefined {
  if (s.value === null || s.readingTime === undefined || s.readingTime === null || time <= s.readingTime) return undefined
  return Math.abs(value - s.value) / ((time - s.readingTime) / MINUTE)
}

export function step (c: Condition, s: SeriesState, input: Input, now: number): Step {
  const result = transition(c, s, input, now)
  return { ...result, dueAt: dueAt(c, result.state) }
}

function transition (c: Condition, s: SeriesState, input: Input, now: number): Omit<Step, 'dueAt'> {
  switch (input.kind) {
    case 'ack':
      return s.phase === 'firing' && !s.acknowledged ? { state: { ...s, acknowledged: true }, notice: 'acknowledged' } : { state: s }
    case 'reading': {
      const measured = c.type === 'rate' ? changePerMinute(s, input.value, input.time ?? now) : input.value
      const next = { ...s, value: input.value, lastReading: now, readingTime: input.time ?? now }
      return measured === undefined ? { state: next } : onReading(c, next, measured, now)
    }
    case 'status':
      return c.type === 'offline' ? onStatus(c, s, input.online, now) : { state: s }
    case 'tick':
      return onTick(c, s, now)
  }
}

function onReading (c: Condition, s: SeriesState, value: number, now: number): Omit<Step, 'dueAt'> {
  if (c.type === 'silent') return s.phase === 'firing' ? clear(s, now) : { state: { ...s, phase: 'ok' } }
  if (!isThreshold(c)) return { state: s }
  if (s.phase === 'firing') return recovered(c, value) ? clear(s, now) : { state: s }
  if (!breaches(c, value)) return { state: { ...s, phase: 'ok', since: s.phase === 'ok' ? s.since : now } }
  if (s.phase === 'ok') return c.holdMs === 0 ? fire({ ...s, since: now }, now) : { state: { ...s, phase: 'pending', since: now } }
  return now - s.since >= c.holdMs ? fire(s, now) : { state: s }
}

function onStatus (c: Condition, s: SeriesState, online: boolean, now: number): Omit<Step, 'dueAt'> {
  if (online) {
    if (s.phase === 'firing') return clear(s, now)
    return s.phase === 'pending' ? { state: { ...s, phase: 'ok', since: now } } : { state: s }
  }
  if (s.phase !== 'ok') return { state: s }
  return c.holdMs === 0 ? fire({ ...s, since: now }, now) : { state: { ...s, phase: 'pending', since: now } }
}

function onTick (c: Condition, s: SeriesState, now: number): Omit<Step, 'dueAt'> {
  if (s.phase === 'pending' && now - s.since >= c.holdMs) return fire(s, now)
  if (c.type === 'silent' && s.phase === 'ok' && now - s.lastReading >= c.holdMs) return fire({ ...s, since: now }, now)
  if (s.phase === 'firing' && !s.acknowledged && c.repeatMs !== null && s.notifiedAt !== null && now - s.notifiedAt >= c.repeatMs) {
    return { state: { ...s, notifiedAt: now }, notice: 'repeated' }
  }
  return { state: s }
}

const fire = (s: SeriesState, now: number): Omit<Step, 'dueAt'> =>
  ({ state: { ...s, phase: 'firing', since: now, acknowledged: false, notifiedAt: now }, notice: 'fired' })
const clear = (s: SeriesState, now: number): Omit<Step, 'dueAt'> =>
  ({ state: { ...s, phase: 'ok', since: now, acknowledged: false, notifiedAt: null }, notice: 'cleared' })

/** When the wheel must look at a series again. */
export function dueAt (c: Condition, s: SeriesState): number | null {
  if (s.phase === 'pending') return s.since + c.holdMs
  if (s.phase === 'ok') return c.type === 'silent' ? s.lastReading + c.holdMs : null
  if (!s.acknowledged && c.repeatMs !== null && s.notifiedAt !== null) return s.notifiedAt + c.repeatMs
  return null
}
