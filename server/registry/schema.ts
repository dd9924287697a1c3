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
-- Dashboard sign-ins (server/registry/sessions.ts). The cookie holds a random id; only its
-- hash is kept. "credential" is the generation of the secret the session was opened with
-- (a member's access_key_hash, or the admin token's generation): when it changes, the session
-- is over. Deleting a member deletes its sessions (the foreign key).
CREATE TABLE IF NOT EXISTS session (
  id_hash TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  member TEXT REFERENCES member(id) ON DELETE CASCADE,
  credential TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  CHECK ((role = 'member') = (member IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS session_by_member ON session (member);
CREATE INDEX IF NOT EXISTS session_by_expiry ON session (expires_at);
`

/**
 * SQL condition, over a member aliased `m`, true while that member may sign in or connect:
 * a member whose workshop has expired (and was not kept) may not, from the moment of expiry,
 * whether or not the expiry job has run yet. Takes one parameter: now (ms).
 */
export const ACTIVE_MEMBER = `(m.workshop IS NULL OR NOT EXISTS (
  SELECT 1 FROM workshop w WHERE w.id = m.workshop AND w.keep_members = 0 AND w.expires_at <= ?))`
