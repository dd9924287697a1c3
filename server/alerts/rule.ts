import type { Channel, ConditionType } from '../api-schemas/alerts.ts'
import type { Condition } from './rule-state.ts'

/** A rule as stored (server/alerts/alert-schema.ts). */
export interface AlertRule {
  id: string
  member: string
  /** One device of the member, or null: each of its devices, separately. */
  device: string | null
  name: string
  /** The metric the rule reads; battery rules read `battery`, offline rules none. */
  metric: string | null
  type: ConditionType
  value: number | null
  minutes: number
  hysteresis: number
  repeatMinutes: number | null
  channels: Channel[]
  /** The webhook signing key: HMAC needs it in clear; registry.db is private to the hub (0600). */
  secret: string
  enabled: boolean
  createdAt: number
}

export interface RuleRow {
  id: string, member: string, device: string | null, name: string, metric: string | null, type: ConditionType,
  value: number | null, minutes: number, hysteresis: number, repeat_minutes: number | null, channels: string,
  secret: string, enabled: number, created_at: number
}

export const toRule = (row: RuleRow): AlertRule => ({
  id: row.id,
  member: row.member,
  device: row.device,
  name: row.name,
  metric: row.metric,
  type: row.type,
  value: row.value,
  minutes: row.minutes,
  hysteresis: row.hysteresis,
  repeatMinutes: row.repeat_minutes,
  channels: JSON.parse(row.channels) as Channel[],
  secret: row.secret,
  enabled: row.enabled === 1,
  createdAt: row.created_at
})

const MINUTE = 60_000

export const conditionOf = (rule: AlertRule): Condition => ({
  type: rule.type,
  value: rule.value,
  holdMs: Math.round(rule.minutes * MINUTE),
  hysteresis: rule.hysteresis,
  repeatMs: rule.repeatMinutes === null ? null : Math.round(rule.repeatMinutes * MINUTE)
})

/** Which metric a rule reads from readings, or undefined for rules on the device's status. */
export function metricOf (rule: Pick<AlertRule, 'type' | 'metric'>): string | undefined {
  if (rule.type === 'offline') return undefined
  if (rule.type === 'battery') return 'battery'
  return rule.metric ?? undefined
}
