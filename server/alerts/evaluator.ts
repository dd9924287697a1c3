import type { Log } from '../log.ts'
import type { Reading } from '../domain/reading.ts'
import { TsudoiError } from '../errors.ts'
import type { Outbox } from './outbox.ts'
import type { AlertRule } from './rule.ts'
import { RuleIndex, type IndexedRule } from './rule-index.ts'
import { type Input, type Notice, type SeriesState, breaches, initialState, recovered, step } from './rule-state.ts'
import type { RuleStore } from './rule-store.ts'
import { TimerWheel } from './timer-wheel.ts'
import type { NoticeRate } from './notice-rate.ts'

export interface EvaluatorDeps {
  rules: RuleStore
  outbox: Outbox
  /** Runs a function in one registry.db transaction. */
  transaction: (fn: () => void) => void
  /** The member's devices now (rules without a device watch each). */
  devicesOf: (member: string) => string[]
  isOnline: (device: string) => boolean
  rate: NoticeRate
  clock: () => number
  log: Log
  /** Called after an event owing deliveries was recorded. */
  recorded: () => void
  /** Told every event recorded (the hub's metrics). */
  noticed?: (kind: Notice) => void
}

/** One rule on one device. */
interface Series { entry: IndexedRule, device: string, state: SeriesState, firedEvent: string | null }

/** A reading older than this (a device's offline backlog) says nothing about now: thresholds ignore it. */
const STALE_MS = 10 * 60_000
/** After a restart a device gets this long to reconnect before an offline rule counts it offline. */
const RECONNECT_GRACE_MS = 60_000

/**
 * Rules evaluated as readings arrive (the bus's `readings`, after they are stored) and as
 * devices come and go (`deviceStatus`); "no reading for N minutes", hold times and repeats
 * are the timer wheel's, ticked by one interval. A reading whose device and metric no rule
 * names costs two Map lookups (server/alerts/rule-index.ts). Every change of phase or
 * acknowledgement is written with its event and deliveries in one transaction.
 */
export class AlertEvaluator {
  private readonly index = new RuleIndex()
  private readonly series = new Map<string, Map<string, Series>>()
  private readonly wheel = new TimerWheel<Series>()

  constructor (private readonly deps: EvaluatorDeps) {}

  /** Loads every rule and its stored state (start-up). */
  load (): void {
    const now = this.deps.clock()
    const stored = new Map<string, Map<string, { state: SeriesState, firedEvent: string | null }>>()
    for (const s of this.deps.rules.states()) {
      const perRule = stored.get(s.rule) ?? new Map<string, { state: SeriesState, firedEvent: string | null }>()
      perRule.set(s.device, { state: { ...s.state, lastReading: now }, firedEvent: s.firedEvent })
      stored.set(s.rule, perRule)
    }
    for (const rule of this.deps.rules.list()) {
      if (!rule.enabled) continue
      const entry = this.index.add(rule)
      for (const [device, saved] of stored.get(rule.id) ?? []) {
        const series = this.seriesOf(entry, device, now)
        series.state = saved.state
        series.firedEvent = saved.firedEvent
        this.wheel.schedule(series, step(entry.condition, series.state, { kind: 'tick' }, now).dueAt)
      }
      this.watch(entry, now, RECONNECT_GRACE_MS)
    }
  }

  /** A rule was created or changed: its state starts again. */
  upsert (rule: AlertRule): void {
    this.remove(rule.id)
    if (!rule.enabled) return
    this.watch(this.index.add(rule), this.deps.clock(), 0)
  }

  remove (ruleId: string): void {
    for (const series of this.series.get(ruleId)?.values() ?? []) this.wheel.cancel(series)
    this.series.delete(ruleId)
    this.index.remove(ruleId)
  }

  /** A device was deleted, or its member: its rules went with it (alert-schema.ts, cascades); so do its series. */
  forgetDevice (device: string): void {
    const existing = new Set(this.deps.rules.list().map((rule) => rule.id))
    for (const [ruleId, perDevice] of this.series) {
      if (!existing.has(ruleId)) { this.remove(ruleId); continue }
      const series = perDevice.get(device)
      if (series !== undefined) { this.wheel.cancel(series); perDevice.delete(device) }
    }
    for (const entry of this.index.all()) if (!existing.has(entry.rule.id)) this.remove(entry.rule.id)
  }

  /** What the bus hands over after a commit. */
  onReadings (readings: readonly Reading[]): void {
    let now: number | undefined
    for (const reading of readings) {
      const matching = this.index.forReading(reading.member, reading.device, reading.metric)
      if (matching === undefined) continue
      now ??= this.deps.clock()
      for (const entry of matching) {
        // The index is keyed by the member's own devices; this is the rule's owner, checked again.
        if (entry.rule.member !== reading.member) continue
        if (entry.rule.type !== 'silent' && reading.time < now - STALE_MS) continue
        this.apply(entry, reading.device, { kind: 'reading', value: reading.value, time: reading.time }, now, reading.value)
      }
    }
  }

  onStatus (device: { id: string, member: string, online: boolean }): void {
    const matching = this.index.forStatus(device.member, device.id)
    if (matching === undefined) return
    const now = this.deps.clock()
    for (const entry of matching) if (entry.rule.member === device.member) this.apply(entry, device.id, { kind: 'status', online: device.online }, now, null)
  }

  /** The wheel's interval: every series whose time has come. */
  tick (): void {
    const now = this.deps.clock()
    for (const series of this.wheel.take(now)) {
      if (this.series.get(series.entry.rule.id)?.get(series.device) !== series) continue // removed since
      this.apply(series.entry, series.device, { kind: 'tick' }, now, series.state.value)
    }
  }

  /** "I'm on it": silences a firing alert's repeats until it clears. Only the member's own events. */
  acknowledge (member: string, eventId: string): void {
    const event = this.deps.outbox.eventOfMember(member, eventId)
    if (event === undefined) throw new TsudoiError('NOT_FOUND', `no alert event ${eventId}`)
    const series = this.series.get(event.rule)?.get(event.device)
    if (series === undefined || series.firedEvent !== event.id || series.state.phase !== 'firing') {
      throw new TsudoiError('CONFLICT', 'this alert is no longer firing')
    }
    this.apply(series.entry, series.device, { kind: 'ack' }, this.deps.clock(), series.state.value)
  }

  /** The rule's worst phase over its devices, and whether its firing is acknowledged. */
  stateOf (ruleId: string): { state: SeriesState['phase'], acknowledged: boolean } {
    let state: SeriesState['phase'] = 'ok'
    let acknowledged = false
    for (const series of this.series.get(ruleId)?.values() ?? []) {
      if (series.state.phase === 'firing') { state = 'firing'; acknowledged = series.state.acknowledged; break }
      if (series.state.phase === 'pending') state = 'pending'
    }
    return { state, acknowledged }
  }

  /** Series the wheel holds (for tests and the metrics). */
  get scheduled (): number { return this.wheel.size }

  /** Starts watching the devices a silent or offline rule expects to hear from. */
  private watch (entry: IndexedRule, now: number, grace: number): void {
    const { rule } = entry
    if (rule.type !== 'silent' && rule.type !== 'offline') return
    const devices = rule.device === null ? this.deps.devicesOf(rule.member) : [rule.device]
    for (const device of devices) {
      const series = this.seriesOf(entry, device, now)
      if (rule.type === 'silent') {
        this.wheel.schedule(series, step(entry.condition, series.state, { kind: 'tick' }, now).dueAt)
      } else if (series.state.phase === 'ok' && !this.deps.isOnline(device)) {
        if (grace === 0) {
          this.apply(entry, device, { kind: 'status', online: false }, now, null)
        } else {
          // After a restart every device is offline until it reconnects: counted from `now + grace`.
          series.state = { ...series.state, phase: 'pending', since: now + grace }
          this.wheel.schedule(series, now + grace + entry.condition.holdMs)
        }
      }
    }
  }

  private seriesOf (entry: IndexedRule, device: string, now: number): Series {
    let perDevice = this.series.get(entry.rule.id)
    if (perDevice === undefined) this.series.set(entry.rule.id, perDevice = new Map())
    let series = perDevice.get(device)
    if (series === undefined) perDevice.set(device, series = { entry, device, state: initialState(now), firedEvent: null })
    return series
  }

  private apply (entry: IndexedRule, device: string, input: Input, now: number, value: number | null): void {
    const series = this.seriesOf(entry, device, now)
    if (input.kind === 'reading' && this.steady(series, input.value, now)) return
    const before = series.state
    const next = step(entry.condition, before, input, now)
    series.state = next.state
    this.wheel.schedule(series, next.dueAt)
    // Only what notifies is written (fired, repeated, cleared, acknowledged): a pending phase
    // that flickers with a noisy sensor costs no write, and after a restart it starts again.
    if (next.notice === undefined) return
    try {
      this.persist(series, next.notice, value, now)
    } catch (error) {
      // Not persisted: the series goes back to where it was, so the next input tries again.
      series.state = before
      this.wheel.schedule(series, step(entry.condition, before, { kind: 'tick' }, now).dueAt)
      this.deps.log.error({ err: error, rule: entry.rule.id, device }, 'could not record an alert transition')
    }
  }

  /**
   * The common case, without the state machine's copies (issue 17: ≤ 1 µs per reading and
   * matching rule): a reading that leaves the phase as it is — ok and not breaching, firing and
   * not recovered, silent and not firing — only updates the value and the time, in place. A
   * silent rule's wheel entry stays where it was: when it comes due, the tick finds the newer
   * reading and puts it later (step's dueAt), so a chatty device costs no rescheduling.
   */
  private steady (series: Series, value: number, now: number): boolean {
    const { condition } = series.entry
    const s = series.state
    const unchanged = condition.type === 'silent'
      ? s.phase === 'ok' && this.wheel.has(series)
      // A rate rule needs each reading's value and time kept by the state machine.
      : condition.type !== 'offline' && condition.type !== 'rate' &&
        ((s.phase === 'ok' && !breaches(condition, value)) || (s.phase === 'firing' && !recovered(condition, value)))
    if (!unchanged) return false
    s.value = value
    s.lastReading = now
    return true
  }

  private persist (series: Series, notice: Notice, value: number | null, now: number): void {
    const { rule } = series.entry
    let owes = false
    let firedEvent = series.firedEvent
    this.deps.transaction(() => {
      const suppressed = notice === 'acknowledged' ? undefined : this.deps.rate.take(rule.member, now)
      const { id } = this.deps.outbox.record({ rule, kind: notice, device: series.device, value, time: now }, suppressed, now)
      if (notice === 'fired') firedEvent = id
      if (notice === 'cleared') firedEvent = null
      owes = notice !== 'acknowledged' && suppressed === undefined
      this.deps.rules.saveState(rule.id, series.device, series.state, firedEvent)
    })
    series.firedEvent = firedEvent
    this.deps.noticed?.(notice)
    if (owes) this.deps.recorded()
  }
}
