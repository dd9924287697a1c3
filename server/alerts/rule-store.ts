import type Database from 'better-sqlite3'
import { type AlertRule, type RuleRow, toRule } from './rule.ts'
import type { Phase, SeriesState } from './rule-state.ts'

/** What a member asks for, checked (server/alerts/rule-input.ts): a rule without what the hub assigns. */
export type RuleFields = Omit<AlertRule, 'id' | 'member' | 'secret' | 'createdAt'>

export interface StoredState { rule: string, device: string, state: SeriesState, firedEvent: string | null }

interface StateRow { rule: string, device: string, phase: Phase, since: number, acknowledged: number, notified_at: number | null, value: number | null, fired_event: string | null }

/** Alert rules and their per-device state, in registry.db (server/alerts/alert-schema.ts). */
export class RuleStore {
  constructor (private readonly db: () => Database.Database) {}

  insert (id: string, member: string, fields: RuleFields, secret: string, now: number): AlertRule {
    this.db().prepare(`INSERT INTO alert_rule (id, member, device, name, metric, type, value, minutes, hysteresis, repeat_minutes, channels, secret, enabled, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, member, fields.device, fields.name, fields.metric, fields.type, fields.value,
      fields.minutes, fields.hysteresis, fields.repeatMinutes, JSON.stringify(fields.channels), secret, fields.enabled ? 1 : 0, now)
    return this.get(id)!
  }

  /** Replaces the fields of a rule; its state starts again (the condition may mean something else now). */
  update (id: string, fields: RuleFields): AlertRule {
    this.db().transaction(() => {
      this.db().prepare(`UPDATE alert_rule SET name = ?, metric = ?, type = ?, value = ?, minutes = ?, hysteresis = ?, repeat_minutes = ?, channels = ?, enabled = ?
        WHERE id = ?`).run(fields.name, fields.metric, fields.type, fields.value, fields.minutes, fields.hysteresis, fields.repeatMinutes,
        JSON.stringify(fields.channels), fields.enabled ? 1 : 0, id)
      this.db().prepare('DELETE FROM alert_state WHERE rule = ?').run(id)
    })()
    return this.get(id)!
  }

  delete (id: string): void {
    this.db().prepare('DELETE FROM alert_rule WHERE id = ?').run(id)
  }

  get (id: string): AlertRule | undefined {
    const row = this.db().prepare('SELECT * FROM alert_rule WHERE id = ?').get(id) as RuleRow | undefined
    return row && toRule(row)
  }

  /** A member's rule; another member's id reads as no rule at all. */
  ofMember (member: string, id: string): AlertRule | undefined {
    const row = this.db().prepare('SELECT * FROM alert_rule WHERE id = ? AND member = ?').get(id, member) as RuleRow | undefined
    return row && toRule(row)
  }

  list (member?: string): AlertRule[] {
    const rows = member === undefined
      ? this.db().prepare('SELECT * FROM alert_rule ORDER BY created_at, id').all()
      : this.db().prepare('SELECT * FROM alert_rule WHERE member = ? ORDER BY created_at, id').all(member)
    return (rows as RuleRow[]).map(toRule)
  }

  count (member: string): number {
    return this.db().prepare('SELECT count(*) FROM alert_rule WHERE member = ?').pluck().get(member) as number
  }

  states (): StoredState[] {
    return (this.db().prepare('SELECT * FROM alert_state').all() as StateRow[]).map((row) => ({
      rule: row.rule,
      device: row.device,
      firedEvent: row.fired_event,
      state: {
        phase: row.phase, since: row.since, acknowledged: row.acknowledged === 1, notifiedAt: row.notified_at, value: row.value,
        // Silence counts from the hub's start: the hub being down is not the device being silent.
        lastReading: 0
      }
    }))
  }

  saveState (rule: string, device: string, state: SeriesState, firedEvent: string | null): void {
    this.db().prepare(`INSERT INTO alert_state (rule, device, phase, since, acknowledged, notified_at, value, fired_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (rule, device) DO UPDATE SET phase = excluded.phase, since = excluded.since, acknowledged = excluded.acknowledged,
        notified_at = excluded.notified_at, value = excluded.value, fired_event = excluded.fired_event`)
      .run(rule, device, state.phase, state.since, state.acknowledged ? 1 : 0, state.notifiedAt, state.value, firedEvent)
  }
}
