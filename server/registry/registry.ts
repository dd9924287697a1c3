import Database from 'better-sqlite3'
import { TsudoiError } from '../errors.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import type { DeviceFormat } from '../domain/device-formats.ts'
import { hashSecret, newSecret, secretMatches } from './credentials.ts'
import { claimDeviceTopic } from './device-topic.ts'
import { slugFrom } from './ids.ts'
import { type MemberPatch, type NewDevice, type NewMember, memberPatchSchema, newDeviceSchema, newMemberSchema } from './inputs.ts'
import { ACTIVE_MEMBER, registrySchema } from './schema.ts'
import { ensurePrivateDatabaseFile } from '../private-files.ts'
import { parse } from '../validation.ts'
import type { Sector } from '../domain/sectors.ts'
import { Sessions } from './sessions.ts'
import { Workshops } from './workshops.ts'

export interface Member {
  id: string
  name: string
  sector: Sector
  sharing: boolean
  floorArea: number | null
  seats: number | null
  rooms: number | null
  workshop: string | null
  createdAt: number
}

export interface Device {
  id: string
  member: string
  name: string
  format: DeviceFormat
  topic: string
  createdAt: number
  lastSeen: number | null
}

interface MemberRow { id: string, name: string, sector: Sector, sharing: number, floor_area: number | null, seats: number | null, rooms: number | null, workshop: string | null, created_at: number }
interface DeviceRow { id: string, member: string, name: string, format: DeviceFormat, topic: string, created_at: number, last_seen: number | null, token_hash: string }

const toMember = (row: MemberRow): Member => ({
  id: row.id, name: row.name, sector: row.sector, sharing: row.sharing === 1, floorArea: row.floor_area,
  seats: row.seats, rooms: row.rooms, workshop: row.workshop, createdAt: row.created_at
})
const toDevice = (row: DeviceRow): Device => ({
  id: row.id, member: row.member, name: row.name, format: row.format, topic: row.topic, createdAt: row.created_at, lastSeen: row.last_seen
})

/** Members, devices and their credentials, in an embedded SQLite file. Only hashes of secrets are kept. */
export class Registry {
  private db!: Database.Database
  readonly workshops: Workshops
  readonly sessions: Sessions

  constructor (private readonly file: string, private readonly clock: () => number = Date.now) {
    this.workshops = new Workshops(() => this.db, clock)
    this.sessions = new Sessions(() => this.db, clock)
  }

  open (): void {
    ensurePrivateDatabaseFile(this.file)
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    this.db.exec(registrySchema)
    this.sessions.purgeExpired()
  }

  close (): void {
    this.db?.close()
  }

  setting (key: string): string | undefined {
    return this.db.prepare('SELECT value FROM setting WHERE key = ?').pluck().get(key) as string | undefined
  }

  saveSetting (key: string, value: string): void {
    this.db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  addMember (input: NewMember, workshop: string | null = null): { member: Member, accessKey: string } {
    const data = parse(newMemberSchema, input)
    const id = data.id ?? slugFrom(data.name, 'm')
    const accessKey = newSecret('tsk')
    try {
      this.db.prepare(`INSERT INTO member (id, name, sector, access_key_hash, floor_area, seats, rooms, sharing, workshop, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, data.name, data.sector, hashSecret(accessKey),
        data.floorArea ?? null, data.seats ?? null, data.rooms ?? null, data.sharing ? 1 : 0, workshop, this.clock())
    } catch (error) {
      throw uniqueViolation(error, `member ${id} already exists`)
    }
    return { member: this.member(id)!, accessKey }
  }

  member (id: string): Member | undefined {
    const row = this.db.prepare('SELECT * FROM member WHERE id = ?').get(id) as MemberRow | undefined
    return row && toMember(row)
  }

  members (): Member[] {
    return (this.db.prepare('SELECT * FROM member ORDER BY created_at, id').all() as MemberRow[]).map(toMember)
  }

  memberByAccessKey (accessKey: string): Member | undefined {
    const row = this.db.prepare(`SELECT m.* FROM member m WHERE m.access_key_hash = ? AND ${ACTIVE_MEMBER}`)
      .get(hashSecret(accessKey), this.clock()) as MemberRow | undefined
    return row && toMember(row)
  }

  updateMember (id: string, input: MemberPatch): Member {
    const patch = parse(memberPatchSchema, input)
    const columns: Record<string, unknown> = {
      name: patch.name, sector: patch.sector, sharing: patch.sharing === undefined ? undefined : Number(patch.sharing),
      floor_area: patch.floorArea, seats: patch.seats, rooms: patch.rooms
    }
    const set = Object.entries(columns).filter(([, value]) => value !== undefined)
    if (set.length > 0) {
      this.db.prepare(`UPDATE member SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`)
        .run(...set.map(([, value]) => value), id)
    }
    return this.requireMember(id)
  }

  /** The stored hash of a member's access key (sessions are bound to it). */
  accessKeyHash (id: string): string | undefined {
    return this.db.prepare('SELECT access_key_hash FROM member WHERE id = ?').pluck().get(id) as string | undefined
  }

  /** Members of a workshop (all of them, whatever their state). */
  workshopMembers (workshop: string): Member[] {
    return (this.db.prepare('SELECT * FROM member WHERE workshop = ? ORDER BY created_at').all(workshop) as MemberRow[]).map(toMember)
  }

  /** A kept workshop member joins the community: compared with everyone from now on. */
  keepWorkshopMembers (workshop: string): void {
    this.db.prepare('UPDATE member SET workshop = NULL WHERE workshop = ?').run(workshop)
  }

  rotateAccessKey (id: string): string {
    this.requireMember(id)
    const accessKey = newSecret('tsk')
    this.db.prepare('UPDATE member SET access_key_hash = ? WHERE id = ?').run(hashSecret(accessKey), id)
    // Sessions opened with the old key are over (a session's credential is the key's hash); the rows go too.
    this.sessions.endMember(id)
    return accessKey
  }

  deleteMember (id: string): void {
    if (this.db.prepare('DELETE FROM member WHERE id = ?').run(id).changes === 0) throw new TsudoiError('NOT_FOUND', `member ${id} not found`)
  }

  requireMember (id: string): Member {
    const member = this.member(id)
    if (member === undefined) throw new TsudoiError('NOT_FOUND', `member ${id} not found`)
    return member
  }

  addDevice (input: NewDevice): { device: Device, token: string } {
    const data = parse(newDeviceSchema, input)
    this.requireMember(data.member)
    const id = data.id ?? slugFrom(data.name, 'd')
    const token = newSecret('tsd')
    // Firmware topics are not namespaced by member: the topic's trees are checked against
    // every other device's and written in one IMMEDIATE transaction (the write lock is
    // taken before the check), so two registrations cannot both claim overlapping trees.
    this.db.transaction(() => {
      const topic = claimDeviceTopic(this.db, { id, member: data.member, format: data.format, topic: data.topic })
      try {
        this.db.prepare(`INSERT INTO device (id, member, name, format, topic, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(id, data.member, data.name, data.format, topic, hashSecret(token), this.clock())
      } catch (error) {
        throw uniqueViolation(error, `device ${id} already exists`)
      }
    }).immediate()
    return { device: this.device(id)!, token }
  }

  device (id: string): Device | undefined {
    const row = this.db.prepare('SELECT * FROM device WHERE id = ?').get(id) as DeviceRow | undefined
    return row && toDevice(row)
  }

  devices (member?: string): Device[] {
    const rows = member === undefined
      ? this.db.prepare('SELECT * FROM device ORDER BY created_at, id').all()
      : this.db.prepare('SELECT * FROM device WHERE member = ? ORDER BY created_at, id').all(member)
    return (rows as DeviceRow[]).map(toDevice)
  }

  deleteDevice (id: string): void {
    if (this.db.prepare('DELETE FROM device WHERE id = ?').run(id).changes === 0) throw new TsudoiError('NOT_FOUND', `device ${id} not found`)
  }

  rotateDeviceToken (id: string): string {
    if (this.device(id) === undefined) throw new TsudoiError('NOT_FOUND', `device ${id} not found`)
    const token = newSecret('tsd')
    this.db.prepare('UPDATE device SET token_hash = ? WHERE id = ?').run(hashSecret(token), id)
    return token
  }

  /** The identity a device logs in as, or undefined for an unknown id or a wrong token. */
  authenticateDevice (id: string, token: string): DeviceIdentity | undefined {
    const row = this.db.prepare(`SELECT d.*, m.sector AS sector FROM device d JOIN member m ON m.id = d.member WHERE d.id = ? AND ${ACTIVE_MEMBER}`)
      .get(id, this.clock()) as (DeviceRow & { sector: Sector }) | undefined
    if (row === undefined || !secretMatches(token, row.token_hash)) return undefined
    return { id: row.id, member: row.member, sector: row.sector, format: row.format, topic: row.topic }
  }

  /** Writes last-seen times gathered in memory (one transaction, not one write per message). */
  touchDevices (lastSeen: ReadonlyMap<string, number>): void {
    const update = this.db.prepare('UPDATE device SET last_seen = MAX(COALESCE(last_seen, 0), ?) WHERE id = ?')
    this.db.transaction(() => { for (const [id, time] of lastSeen) update.run(time, id) })()
  }
}

function uniqueViolation (error: unknown, message: string): unknown {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT') ? new TsudoiError('CONFLICT', message) : error
}
