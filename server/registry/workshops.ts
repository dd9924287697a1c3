import { randomInt } from 'node:crypto'
import type Database from 'better-sqlite3'
import { z } from 'zod'
import { TsudoiError } from '../errors.ts'
import { parse } from '../validation.ts'
import { slugFrom } from './ids.ts'
import { sectors } from '../domain/sectors.ts'
import { displayName } from '../domain/display-name.ts'

export interface Workshop {
  id: string
  name: string
  code: string
  sector: string | null
  expiresAt: number
  maxJoins: number | null
  joins: number
  /** At expiry its members become ordinary members (else their credentials stop working). */
  keepMembers: boolean
  /** At expiry their readings are kept (else deleted), when the members are not kept. */
  keepData: boolean
  /** Expiry has been carried out. */
  ended: boolean
  createdAt: number
}

interface WorkshopRow { id: string, name: string, code: string, sector: string | null, expires_at: number, max_joins: number | null, joins: number, keep_members: number, keep_data: number, ended: number, created_at: number }

const toWorkshop = (r: WorkshopRow): Workshop => ({
  id: r.id, name: r.name, code: r.code, sector: r.sector, expiresAt: r.expires_at, maxJoins: r.max_joins, joins: r.joins,
  keepMembers: r.keep_members === 1, keepData: r.keep_data === 1, ended: r.ended === 1, createdAt: r.created_at
})

const expiresAt = z.union([z.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])

export const newWorkshopSchema = z.object({
  name: displayName(),
  expiresAt,
  maxJoins: z.number().int().min(1).max(10_000).optional(),
  sector: z.enum(sectors).optional(),
  keepMembers: z.boolean().default(false),
  keepData: z.boolean().default(true)
}).strict()

export const workshopPatchSchema = z.object({
  expiresAt: expiresAt.optional(),
  maxJoins: z.number().int().min(1).max(10_000).nullable().optional(),
  keepMembers: z.boolean().optional(),
  keepData: z.boolean().optional()
}).strict()

// Codes are typed on phones and read aloud in a room: no 0/O, 1/I/L.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const newCode = (): string => Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')

/** Workshops: a join code that turns an attendee into a (temporary) member with one device. */
export class Workshops {
  constructor (private readonly db: () => Database.Database, private readonly clock: () => number) {}

  create (input: unknown): Workshop {
    const data = parse(newWorkshopSchema, input)
    if (data.expiresAt <= this.clock()) throw new TsudoiError('VALIDATION_FAILED', 'expiresAt: must be in the future', { fields: [{ field: 'expiresAt', message: 'must be in the future' }] })
    const id = slugFrom(data.name, 'w')
    this.db().prepare(`INSERT INTO workshop (id, name, code, sector, expires_at, max_joins, keep_members, keep_data, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, data.name, newCode(), data.sector ?? null, data.expiresAt, data.maxJoins ?? null,
      Number(data.keepMembers), Number(data.keepData), this.clock())
    return this.get(id)!
  }

  get (id: string): Workshop | undefined {
    const row = this.db().prepare('SELECT * FROM workshop WHERE id = ?').get(id) as WorkshopRow | undefined
    return row && toWorkshop(row)
  }

  byCode (code: string): Workshop | undefined {
    const row = this.db().prepare('SELECT * FROM workshop WHERE code = ?').get(code.trim().toUpperCase()) as WorkshopRow | undefined
    return row && toWorkshop(row)
  }

  list (): Workshop[] {
    return (this.db().prepare('SELECT * FROM workshop ORDER BY created_at DESC').all() as WorkshopRow[]).map(toWorkshop)
  }

  update (id: string, input: unknown): Workshop {
    const patch = parse(workshopPatchSchema, input)
    const columns: Record<string, unknown> = {
      expires_at: patch.expiresAt, max_joins: patch.maxJoins,
      keep_members: patch.keepMembers === undefined ? undefined : Number(patch.keepMembers),
      keep_data: patch.keepData === undefined ? undefined : Number(patch.keepData)
    }
    const set = Object.entries(columns).filter(([, v]) => v !== undefined)
    if (this.get(id) === undefined) throw new TsudoiError('NOT_FOUND', `workshop ${id} not found`)
    if (set.length > 0) this.db().prepare(`UPDATE workshop SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => v), id)
    return this.get(id)!
  }

  /** Takes one join from the code's allowance, or says why it cannot (expired, full, unknown). */
  admit (code: string): Workshop {
    const workshop = this.byCode(code)
    if (workshop === undefined) throw new TsudoiError('NOT_FOUND', 'unknown join code')
    if (workshop.expiresAt <= this.clock() || workshop.ended) throw new TsudoiError('GONE', 'this workshop has ended')
    const taken = this.db().prepare('UPDATE workshop SET joins = joins + 1 WHERE id = ? AND (max_joins IS NULL OR joins < max_joins)').run(workshop.id)
    if (taken.changes === 0) throw new TsudoiError('CONFLICT', 'this workshop is full')
    return workshop
  }

  /** Workshops past their expiry whose end has not been carried out yet. */
  due (): Workshop[] {
    return (this.db().prepare('SELECT * FROM workshop WHERE ended = 0 AND expires_at <= ?').all(this.clock()) as WorkshopRow[]).map(toWorkshop)
  }

  /**
   * Expiry carried out. Members still in the workshop were not kept: their dashboard sessions
   * go with it (they were refused from the moment of expiry already; see ACTIVE_MEMBER).
   */
  markEnded (id: string): void {
    const db = this.db()
    db.transaction(() => {
      db.prepare('DELETE FROM session WHERE member IN (SELECT id FROM member WHERE workshop = ?)').run(id)
      db.prepare('UPDATE workshop SET ended = 1 WHERE id = ?').run(id)
    })()
  }
}
