export const registrySchema = `
CREATE TABLE IF NOT EXISTS member (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sector TEXT NOT NULL,
  access_key_hash TEXT NOT NULL UNIQUE,
  floor_area REAL, seats INTEGER, rooms INTEGER,
  sharing INTEGER NOT NULL DEFAULT 1,
  workshop TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS device (
  id TEXT PRIMARY KEY,
  member TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  topic TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER
);
CREATE INDEX IF NOT EXISTS device_by_member ON device (member);
CREATE TABLE IF NOT EXISTS workshop (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  sector TEXT,
  expires_at INTEGER NOT NULL,
  max_joins INTEGER,
  joins INTEGER NOT NULL DEFAULT 0,
  keep_members INTEGER NOT NULL DEFAULT 0,
  keep_data INTEGER NOT NULL DEFAULT 1,
  ended INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`
