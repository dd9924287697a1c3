// Alert tables, kept in registry.db beside the members and devices they name (docs/alerts.md).
// Rules belong to a member and optionally one of its devices: deleting either deletes the
// rule, its state, its events and their deliveries (foreign keys, ON DELETE CASCADE; the
// registry's connection has foreign_keys on). A device id freed by a deletion and taken by
// another member's new device can therefore never inherit a rule.
//
// alert_state holds each (rule, device) series' phase, written on every change of phase or
// acknowledgement in the same transaction as the event and its deliveries: a restart finds
// a firing alert firing (and does not fire it again), and every notification it owed.
export const alertSchema = `
CREATE TABLE IF NOT EXISTS alert_rule (
  id TEXT PRIMARY KEY,
  member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  device TEXT REFERENCES device(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  metric TEXT,
  type TEXT NOT NULL,
  value REAL,
  minutes REAL NOT NULL,
  hysteresis REAL NOT NULL,
  repeat_minutes REAL,
  channels TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_rule_by_member ON alert_rule (member);
CREATE INDEX IF NOT EXISTS alert_rule_by_device ON alert_rule (device);
CREATE TABLE IF NOT EXISTS alert_state (
  rule TEXT NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
  device TEXT NOT NULL,
  phase TEXT NOT NULL CHECK (phase IN ('ok', 'pending', 'firing')),
  since INTEGER NOT NULL,
  acknowledged INTEGER NOT NULL,
  notified_at INTEGER,
  value REAL,
  fired_event TEXT,
  PRIMARY KEY (rule, device)
);
CREATE TABLE IF NOT EXISTS alert_event (
  id TEXT PRIMARY KEY,
  rule TEXT NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
  member TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('fired', 'repeated', 'cleared', 'acknowledged')),
  device TEXT NOT NULL,
  metric TEXT,
  value REAL,
  time INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_event_by_member ON alert_event (member, time);
CREATE INDEX IF NOT EXISTS alert_event_by_rule ON alert_event (rule);
CREATE TABLE IF NOT EXISTS alert_delivery (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL REFERENCES alert_event(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead', 'suppressed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  last_attempt_at INTEGER,
  sent_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_delivery_by_event ON alert_delivery (event);
CREATE INDEX IF NOT EXISTS alert_delivery_due ON alert_delivery (next_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS alert_delivery_dead ON alert_delivery (last_attempt_at) WHERE status = 'dead';
`
