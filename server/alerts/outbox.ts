import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { Channel } from '../api-schemas/alerts.ts'
import type { AlertRule } from './rule.ts'
import type { Notice } from './rule-state.ts'

// Events and their deliveries in registry.db (server/alerts/alert-schema.ts). One delivery row
// per notification and channel, written in the transaction that records the event: what is
// owed survives a crash, and a row marked sent is never sent again (at-least-once, not more
// than once after an acknowledged send). docs/alerts.md describes the life of a row.

/** The JSON every channel carries (the webhook's body exactly). `alert` is the event id: receivers dedupe on it. */
export interface Notification {
  alert: string
  rule: string
  name: string
  state: 'firing' | 'cleared'
  device: string
  metric: string | null
  value: number | null
  time: number
}

export interface NewEvent { rule: AlertRule, kind: Notice, device: string, value: number | null, time: number }

export interface DueDelivery {
  id: string
  member: string
  rule: string
  channel: Channel
  attempts: number
  notification: Notification
  /** The rule's webhook key. */
  secret: string
}

export interface EventView {
  id: string, rule: string, name: string, kind: Notice, device: string, metric: string | null, value: number | null, time: number
  deliveries: Array<{ channel: Channel['type'], status: DeliveryStatus, attempts: number, error: string | null, sentAt: number | null }>
}

export type DeliveryStatus = 'pending' | 'sent' | 'dead' | 'suppressed'

interface DueRow { id: string, member: string, rule: string, channel: string, attempts: number, body: string, secret: string }
interface EventRow { id: string, rule: string, name: string, kind: Notice, device: string, metric: string | null, value: number | null, time: number }
interface DeliveryRow { event: string, type: Channel['type'], status: DeliveryStatus, attempts: number, last_error: string | null, sent_at: number | null }
interface DeadRow { id: string, member: string, rule: string, event: string, type: Channel['type'], channel: string, attempts: number, last_error: string | null, created_at: number, last_attempt_at: number | null }

export class Outbox {
  constructor (private readonly db: () => Database.Database) {}

  /**
   * Records an event and, for a notice that notifies (fired, repeated, cleared), a delivery per
   * channel: pending, or suppressed with the reason when the member is over its rate. Runs
   * inside the caller's transaction when there is one.
   */
  record (event: NewEvent, suppressed: string | undefined, now: number): { id: string, notification: Notification } {
    const id = randomUUID()
    const { rule } = event
    const notification: Notification = {
      alert: id,
      rule: rule.id,
      name: rule.name,
      state: event.kind === 'cleared' ? 'cleared' : 'firing',
      device: event.device,
      metric: rule.type === 'offline' ? null : rule.type === 'battery' ? 'battery' : rule.metric,
      value: event.value,
      time: event.time
    }
    const db = this.db()
    db.prepare('INSERT INTO alert_event (id, rule, member, kind, device, metric, value, time, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, rule.id, rule.member, event.kind, event.device, notification.metric, event.value, event.time, JSON.stringify(notification))
    if (event.kind !== 'acknowledged') {
      const insert = db.prepare(`INSERT INTO alert_delivery (id, event, type, channel, status, next_at, last_error, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      for (const channel of rule.channels) {
        insert.run(randomUUID(), id, channel.type, JSON.stringify(channel), suppressed === undefined ? 'pending' : 'suppressed', now, suppressed ?? null, now)
      }
    }
    return { id, notification }
  }

  /** Pending deliveries whose time has come, oldest first. */
  due (now: number, limit: number, skip: ReadonlySet<string>): DueDelivery[] {
    const rows = this.db().prepare(`SELECT d.id, e.member, e.rule, d.channel, d.attempts, e.body, r.secret
      FROM alert_delivery d JOIN alert_event e ON e.id = d.event JOIN alert_rule r ON r.id = e.rule
      WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at LIMIT ?`).all(now, limit + skip.size) as DueRow[]
    return rows.filter((row) => !skip.has(row.id)).slice(0, limit).map((row) => ({
      id: row.id,
      member: row.member,
      rule: row.rule,
      channel: JSON.parse(row.channel) as Channel,
      attempts: row.attempts,
      notification: JSON.parse(row.body) as Notification,
      secret: row.secret
    }))
  }

  /** The earliest time a pending delivery is due, or undefined. */
  nextDue (): number | undefined {
    return (this.db().prepare('SELECT min(next_at) FROM alert_delivery WHERE status = \'pending\'').pluck().get() as number | null) ?? undefined
  }

  sent (id: string, now: number): void {
    this.db().prepare('UPDATE alert_delivery SET status = \'sent\', attempts = attempts + 1, sent_at = ?, last_attempt_at = ?, last_error = NULL WHERE id = ?').run(now, now, id)
  }

  /** A failed attempt: tried again at `retryAt`, or dead (the dead-letter list) when that is undefined. */
  failed (id: string, error: string, now: number, retryAt: number | undefined): void {
    this.db().prepare(`UPDATE alert_delivery SET attempts = attempts + 1, last_error = ?, last_attempt_at = ?,
      status = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END, next_at = coalesce(?, next_at) WHERE id = ?`)
      .run(error.slice(0, 500), now, retryAt ?? null, retryAt ?? null, id)
  }

  /** A member's events, newest first, each with its deliveries. */
  events (member: string, limit: number): EventView[] {
    const rows = this.db().prepare(`SELECT e.id, e.rule, r.name, e.kind, e.device, e.metric, e.value, e.time
      FROM alert_event e JOIN alert_rule r ON r.id = e.rule WHERE e.member = ? ORDER BY e.time DESC, e.rowid DESC LIMIT ?`).all(member, limit) as EventRow[]
    if (rows.length === 0) return []
    const byEvent = new Map<string, EventView['deliveries']>(rows.map((row) => [row.id, []]))
    const deliveries = this.db().prepare(`SELECT event, type, status, attempts, last_error, sent_at FROM alert_delivery
      WHERE event IN (${rows.map(() => '?').join(',')}) ORDER BY rowid`).all(...rows.map((row) => row.id)) as DeliveryRow[]
    for (const d of deliveries) byEvent.get(d.event)?.push({ channel: d.type, status: d.status, attempts: d.attempts, error: d.last_error, sentAt: d.sent_at })
    return rows.map((row) => ({ ...row, deliveries: byEvent.get(row.id) ?? [] }))
  }

  /** A member's event; another member's id reads as none. */
  eventOfMember (member: string, id: string): { id: string, rule: string, device: string, kind: Notice } | undefined {
    return this.db().prepare('SELECT id, rule, device, kind FROM alert_event WHERE id = ? AND member = ?').get(id, member) as
      { id: string, rule: string, device: string, kind: Notice } | undefined
  }

  /** Deliveries that gave up, newest first, for the organizer. */
  deadLetters (limit: number) {
    const rows = this.db().prepare(`SELECT d.id, e.member, e.rule, d.event, d.type, d.channel, d.attempts, d.last_error, d.created_at, d.last_attempt_at
      FROM alert_delivery d JOIN alert_event e ON e.id = d.event WHERE d.status = 'dead' ORDER BY d.last_attempt_at DESC LIMIT ?`).all(limit) as DeadRow[]
    return rows.map((row) => ({
      id: row.id,
      member: row.member,
      rule: row.rule,
      event: row.event,
      channel: row.type,
      target: targetOf(JSON.parse(row.channel) as Channel),
      attempts: row.attempts,
      error: row.last_error,
      createdAt: row.created_at,
      lastAttemptAt: row.last_attempt_at
    }))
  }

  /** Per rule, the body of its latest notification the MQTT channel delivered. */
  lastSentMqtt (): Array<{ member: string, rule: string, body: string }> {
    return this.db().prepare(`SELECT e.member, e.rule, e.body FROM alert_event e JOIN alert_delivery d ON d.event = e.id
      WHERE d.type = 'mqtt' AND d.status = 'sent' AND e.time = (
        SELECT max(e2.time) FROM alert_event e2 JOIN alert_delivery d2 ON d2.event = e2.id
        WHERE e2.rule = e.rule AND d2.type = 'mqtt' AND d2.status = 'sent')
      GROUP BY e.rule`).all() as Array<{ member: string, rule: string, body: string }>
  }

  /** Drops events (and their deliveries) older than `before` that owe nothing any more. */
  prune (before: number): number {
    return this.db().prepare(`DELETE FROM alert_event WHERE time < ? AND NOT EXISTS (
      SELECT 1 FROM alert_delivery d WHERE d.event = alert_event.id AND d.status = 'pending')`).run(before).changes
  }
}

/** Where a channel sends, safe to show the organizer: a webhook URL's path and query may be its secret (Slack, Discord). */
export function targetOf (channel: Channel): string {
  switch (channel.type) {
    case 'webhook': return new URL(channel.url).origin
    case 'email': return channel.to
    case 'line': return channel.to
    case 'mqtt': return 'tsudoi/<member>/alerts'
  }
}
