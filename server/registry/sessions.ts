import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { hashSecret } from './credentials.ts'
import { ACTIVE_MEMBER } from './schema.ts'

/** How long a dashboard sign-in lasts at most. */
export const SESSION_TTL_MS = 30 * 86_400_000
/**
 * Sessions one login (a member, or the organizer) may hold at once; signing in again past it
 * ends the oldest. Sign-in is rate-limited per address, so without a cap a holder of a valid
 * key could still grow the table from many addresses.
 */
export const MAX_SESSIONS_PER_LOGIN = 50

/** Who a session was opened for, and with which credential generation. */
export type SessionGrant =
  | { role: 'admin', credential: string }
  | { role: 'member', member: string, credential: string }

export type SessionHolder = { role: 'admin' } | { role: 'member', member: string }

interface SessionRow { role: 'admin' | 'member', member: string | null, credential: string }

// The admin token may come from TSUDOI_ADMIN_TOKEN, chosen by a person (16 characters at
// least): what is kept to notice that it changed must not let a copy of the registry guess it,
// so it is a salted scrypt, not a plain hash. Computed once per start.
const ADMIN_VERIFIER = 'admin_token_verifier'
const ADMIN_GENERATION = 'admin_generation'
const verifierOf = (token: string, salt: Buffer): Buffer => scryptSync(token, salt, 32)

/**
 * Dashboard sessions, kept in the registry so that the hub can end them: sign-out deletes one;
 * a member's deletion or key rotation, the end of its workshop, and a new admin token end all
 * of that login's. The cookie carries only a random id (256 bits); the table keeps its hash.
 */
export class Sessions {
  constructor (private readonly db: () => Database.Database, private readonly clock: () => number) {}

  /** Opens a session, returns its id (for the cookie) and how long it lasts. */
  open (grant: SessionGrant, ttlMs = SESSION_TTL_MS): { id: string, lifetimeMs: number } {
    const now = this.clock()
    const id = randomBytes(32).toString('base64url')
    const member = grant.role === 'member' ? grant.member : null
    const expiresAt = Math.min(now + ttlMs, this.memberEnds(member) ?? Infinity)
    const db = this.db()
    db.transaction(() => {
      this.purgeExpired()
      db.prepare('INSERT INTO session (id_hash, role, member, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(hashSecret(id), grant.role, member, grant.credential, now, expiresAt)
      // Past the cap, the oldest sessions of this login go (rowid order is creation order).
      db.prepare(`DELETE FROM session WHERE rowid IN (SELECT rowid FROM session WHERE role = ? AND member IS ?
        ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`).run(grant.role, member, MAX_SESSIONS_PER_LOGIN)
    })()
    return { id, lifetimeMs: expiresAt - now }
  }

  /**
   * Who holds the session with this id, or undefined when it does not exist, has expired, or was
   * opened with a credential that is no longer current: an admin generation other than
   * `adminGeneration`, an access key since rotated, a member gone or whose workshop has ended.
   */
  holder (id: string, adminGeneration: string): SessionHolder | undefined {
    const now = this.clock()
    const row = this.db().prepare(`SELECT s.role, s.member, s.credential FROM session s LEFT JOIN member m ON m.id = s.member
      WHERE s.id_hash = ? AND s.expires_at > ? AND (s.role = 'admin' OR (m.access_key_hash = s.credential AND ${ACTIVE_MEMBER}))`)
      .get(hashSecret(id), now, now) as SessionRow | undefined
    if (row === undefined) return undefined
    if (row.role === 'admin') return row.credential === adminGeneration ? { role: 'admin' } : undefined
    return row.member === null ? undefined : { role: 'member', member: row.member }
  }

  /** Sign-out: this session only. */
  end (id: string): void {
    this.db().prepare('DELETE FROM session WHERE id_hash = ?').run(hashSecret(id))
  }

  /** Every session of a member (its key rotated, its workshop ended). */
  endMember (member: string): void {
    this.db().prepare('DELETE FROM session WHERE member = ?').run(member)
  }

  /** Expired sessions, and those of members whose workshop ended without keeping them. */
  purgeExpired (): number {
    const now = this.clock()
    return this.db().prepare(`DELETE FROM session WHERE expires_at <= ? OR member IN (SELECT m.id FROM member m WHERE NOT ${ACTIVE_MEMBER})`)
      .run(now, now).changes
  }

  /**
   * The generation admin sessions are bound to. The same token as last start keeps the
   * generation (the organizer stays signed in across restarts); a different one starts a new
   * generation and ends every admin session.
   */
  adminGeneration (token: string): string {
    const db = this.db()
    const setting = (key: string): string | undefined => db.prepare('SELECT value FROM setting WHERE key = ?').pluck().get(key) as string | undefined
    const save = db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    const stored = setting(ADMIN_VERIFIER)
    const generation = setting(ADMIN_GENERATION)
    if (stored !== undefined && generation !== undefined) {
      const [salt, verifier] = stored.split(':').map((part) => Buffer.from(part, 'base64url'))
      if (salt !== undefined && verifier !== undefined && verifier.length === 32 && timingSafeEqual(verifierOf(token, salt), verifier)) return generation
    }
    const salt = randomBytes(16)
    const fresh = randomBytes(16).toString('base64url')
    db.transaction(() => {
      save.run(ADMIN_VERIFIER, `${salt.toString('base64url')}:${verifierOf(token, salt).toString('base64url')}`)
      save.run(ADMIN_GENERATION, fresh)
      db.prepare("DELETE FROM session WHERE role = 'admin'").run()
    })()
    return fresh
  }

  /** When a workshop member's access ends (its workshop's expiry, unless the workshop keeps its members). */
  private memberEnds (member: string | null): number | undefined {
    if (member === null) return undefined
    return this.db().prepare(`SELECT w.expires_at FROM member m JOIN workshop w ON w.id = m.workshop
      WHERE m.id = ? AND w.keep_members = 0`).pluck().get(member) as number | undefined
  }
}
